import { networkInterfaces } from 'node:os';
import { addressKey, type MeshAddress } from './transport';

/** Learned peers kept at most; beyond it the longest silent is forgotten (it is re-learned when heard). */
const MAX_LEARNED_PEERS = 256;

interface LearnedPeer {
  address: MeshAddress;
  lastHeard: number;
}

/** Every address this machine answers on: a config listing the whole hall lists this station too. */
export function localHosts(bind: string): Set<string> {
  const hosts = new Set(['127.0.0.1', 'localhost', bind]);
  for (const list of Object.values(networkInterfaces())) for (const entry of list ?? []) hosts.add(entry.address);
  return hosts;
}

/**
 * Who the node sends to: the configured peers (always kept) plus every station it heard an
 * authenticated message from (how a station added later is found), never itself.
 * Learned peers are keyed by device id, so a station whose address changed is followed.
 */
export class PeerTable {
  private readonly learned = new Map<string, LearnedPeer>();
  private readonly selfAddresses = new Set<string>();

  constructor(
    private readonly configured: readonly MeshAddress[],
    private readonly timeoutMs: number,
    self: { hosts: ReadonlySet<string>; port: number },
  ) {
    for (const host of self.hosts) this.selfAddresses.add(addressKey({ host, port: self.port }));
  }

  /** A message of this node's own came back (broadcast echo, itself in the config): never send there. */
  heardSelf(from: MeshAddress): void {
    this.selfAddresses.add(addressKey(from));
  }

  /** `address` is where the peer listens: the source host with its advertised (or source) port. */
  heard(deviceId: string, address: MeshAddress, at: number): void {
    this.learned.delete(deviceId);
    this.learned.set(deviceId, { address, lastHeard: at });
    while (this.learned.size > MAX_LEARNED_PEERS) {
      const oldest = this.learned.keys().next().value;
      if (oldest === undefined) break;
      this.learned.delete(oldest);
    }
  }

  addressOf(deviceId: string): MeshAddress | undefined {
    return this.learned.get(deviceId)?.address;
  }

  targets(): MeshAddress[] {
    const byKey = new Map<string, MeshAddress>();
    for (const address of [...this.configured, ...[...this.learned.values()].map((p) => p.address)]) {
      const key = addressKey(address);
      if (!this.selfAddresses.has(key)) byKey.set(key, address);
    }
    return [...byKey.values()];
  }

  /** Stations heard within the timeout. */
  reachable(at: number): number {
    let count = 0;
    for (const peer of this.learned.values()) if (at - peer.lastHeard <= this.timeoutMs) count++;
    return count;
  }

  /**
   * Stations known: every learned one, plus configured addresses no learned station
   * answered from (a configured host name cannot be matched to a source IP, so a station
   * configured by name may count twice until then — it is an estimate for the status line).
   */
  known(): number {
    const learnedKeys = new Set([...this.learned.values()].map((p) => addressKey(p.address)));
    const unmatched = new Set(this.configured.map(addressKey).filter((key) => !learnedKeys.has(key) && !this.selfAddresses.has(key)));
    return this.learned.size + unmatched.size;
  }
}
