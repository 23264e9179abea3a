// A TCP proxy of our own that injects network faults between stations and the central API.
import net from 'node:net';

export type FaultMode = 'normal' | 'drop' | 'delay' | 'cut' | 'duplicate' | 'reorder' | 'partition';
export const FAULT_MODES: readonly FaultMode[] = ['normal', 'drop', 'delay', 'cut', 'duplicate', 'reorder', 'partition'];

interface Link {
  client: net.Socket;
  server: net.Socket | undefined;
  frozen: boolean;
  /** The phase (setMode call) in force when it opened: its faults are that phase's evidence. */
  phase: number;
  /** A request went up and no response byte came back yet. */
  busy: boolean;
  /** That request is a sync push. */
  pushing: boolean;
  /** duplicate: the second upstream connection the first request is sent on again. */
  twin?: net.Socket;
}

export interface FaultProxyOptions {
  /**
   * Close idle kept-alive connections when the mode changes, so that the stations' next
   * requests open new connections under the new mode (a mode only acts on connections
   * opened while it is in force; with HTTP keep-alive a phase could otherwise pass untouched).
   */
  reconnectOnModeChange?: boolean;
}

/** A request to the central API's sync push endpoint, by its request line. */
const PUSH_REQUEST = /^POST \S*\/sync\/push[ ?]/;

/**
 * Each new connection is treated by the mode in force when it opens:
 * - drop: closed at once (connection reset);
 * - delay: every chunk both ways held 20–250 ms (order kept);
 * - cut: the response is cut half-way through its first chunk;
 * - duplicate: the first request is sent again on a second connection of its own (the server
 *   sees and decides it twice; that second answer is thrown away). Not twice on the same
 *   connection: HTTP/1.1 pairs answers with requests by their order on a connection, so a
 *   surplus answer there would be read as the answer to the client's next request, a
 *   desynchronised stream TCP itself never produces (it drops duplicate segments);
 * - reorder: the request is held 0–400 ms, so later connections overtake earlier ones;
 * - partition: everything is swallowed, nothing answered; open connections freeze too,
 *   and are destroyed when the partition heals (as a TCP timeout would).
 * Each phase (setMode call) counts in `evidence` how often its fault actually acted, so a
 * test can tell a fault that fired from one whose phase saw no traffic.
 */
export class FaultProxy {
  private modeValue: FaultMode = 'normal';
  private readonly server: net.Server;
  private readonly links = new Set<Link>();
  readonly stats: Record<FaultMode, number> = { normal: 0, drop: 0, delay: 0, cut: 0, duplicate: 0, reorder: 0, partition: 0 };
  /**
   * Per phase (index = the setMode call that began it, 0 = before any), how many times its
   * fault actually acted: normal = connections passed through, drop = connections reset,
   * delay = chunks held, cut = responses cut, duplicate = requests sent twice,
   * reorder = requests held back, partition = connections swallowed or frozen.
   */
  readonly evidence: number[] = [0];
  private readonly phaseModes: FaultMode[] = ['normal'];
  private onPush: (() => void) | undefined;
  port = 0;

  constructor(
    private readonly targetPort: () => number,
    private readonly random: () => number,
    private readonly options: FaultProxyOptions = {},
  ) {
    this.server = net.createServer((client) => this.accept(client));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get mode(): FaultMode {
    return this.modeValue;
  }

  /** The current phase: its index in `evidence`. */
  get phase(): number {
    return this.evidence.length - 1;
  }

  /** Starts a new phase under `mode`; returns its index in `evidence`. */
  setMode(mode: FaultMode): number {
    const previous = this.modeValue;
    this.modeValue = mode;
    this.evidence.push(0);
    this.phaseModes.push(mode);
    const phase = this.phase;
    if (this.options.reconnectOnModeChange) for (const link of [...this.links]) if (!link.busy && !link.frozen) this.destroy(link);
    if (mode === 'partition') {
      for (const link of this.links) {
        // A request left hanging is the partition acting; an idle connection frozen is not (yet).
        if (!link.frozen && link.busy) this.evidence[phase]! += 1;
        link.frozen = true;
      }
    }
    if (previous === 'partition' && mode !== 'partition') {
      for (const link of [...this.links]) if (link.frozen) this.destroy(link);
    }
    return phase;
  }

  /** Evidence summed per mode over all phases. */
  evidenceByMode(): Partial<Record<FaultMode, number>> {
    const sums: Partial<Record<FaultMode, number>> = {};
    for (const [phase, mode] of this.phaseModes.entries()) sums[mode] = (sums[mode] ?? 0) + (this.evidence[phase] ?? 0);
    return sums;
  }

  /**
   * Calls `action` once, right after the next sync push request has been forwarded to the
   * central API (so that push is in flight when `action` runs, e.g. a kill -9 of the server).
   */
  armOnPush(action: (() => void) | undefined): void {
    this.onPush = action;
  }

  /** Sync pushes forwarded whose response has not begun. */
  get pushesInFlight(): number {
    let count = 0;
    for (const link of this.links) if (link.pushing && link.busy) count++;
    return count;
  }

  private fired(link: Link): void {
    this.evidence[link.phase]! += 1;
  }

  async close(): Promise<void> {
    for (const link of [...this.links]) this.destroy(link);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private destroy(link: Link): void {
    link.client.destroy();
    link.server?.destroy();
    link.twin?.destroy();
    this.links.delete(link);
  }

  private accept(client: net.Socket): void {
    const mode = this.modeValue;
    this.stats[mode] += 1;
    client.on('error', () => {});
    const link: Link = { client, server: undefined, frozen: mode === 'partition', phase: this.phase, busy: false, pushing: false };
    if (mode === 'drop') {
      this.fired(link);
      client.resetAndDestroy();
      return;
    }
    this.links.add(link);
    client.on('close', () => this.destroy(link));
    if (mode === 'partition') {
      this.fired(link);
      client.on('data', () => {});
      return;
    }
    if (mode === 'normal') this.fired(link);
    const server = net.connect(this.targetPort(), '127.0.0.1');
    link.server = server;
    server.on('error', () => this.destroy(link));
    server.on('close', () => this.destroy(link));

    const delayMs = () => (mode === 'delay' ? 20 + this.random() * 230 : 0);
    const holdMs = mode === 'reorder' ? this.random() * 400 : 0;
    let upstreamChain = new Promise<void>((resolve) => setTimeout(resolve, holdMs));
    let held = false;
    let downstreamChain = Promise.resolve();
    let firstDown = true;
    // The first request's bytes go to the twin too, until its answer starts on the link.
    let mirroring = mode === 'duplicate';
    if (mirroring) {
      const twin = net.connect(this.targetPort(), '127.0.0.1');
      link.twin = twin;
      twin.on('error', () => {});
      // The server has decided the request by the time it answers: the answer is not wanted.
      twin.on('data', () => twin.destroy());
    }
    let duplicated = false;

    client.on('data', (chunk: Buffer) => {
      const wait = delayMs();
      const twin = mirroring ? link.twin : undefined;
      link.busy = true;
      upstreamChain = upstreamChain.then(async () => {
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (link.frozen || server.destroyed) return;
        server.write(chunk);
        if (wait > 0) this.fired(link);
        if (twin && !twin.destroyed) {
          twin.write(chunk);
          if (!duplicated) this.fired(link);
          duplicated = true;
        }
        if (holdMs > 0 && !held) {
          held = true;
          this.fired(link);
        }
        if (PUSH_REQUEST.test(chunk.subarray(0, 64).toString('latin1'))) {
          link.pushing = true;
          const action = this.onPush;
          this.onPush = undefined;
          action?.();
        }
      });
    });
    server.on('data', (chunk: Buffer) => {
      mirroring = false;
      link.busy = false;
      link.pushing = false;
      const wait = delayMs();
      const cut = mode === 'cut' && firstDown;
      firstDown = false;
      downstreamChain = downstreamChain.then(async () => {
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (link.frozen || client.destroyed) return;
        if (cut) {
          client.write(chunk.subarray(0, Math.max(1, Math.floor(chunk.length / 2))));
          this.fired(link);
          this.destroy(link);
          return;
        }
        client.write(chunk);
        if (wait > 0) this.fired(link);
      });
    });
  }
}
