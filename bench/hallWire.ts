// What the hall bench (bench/hall.ts) and its station processes (bench/hallStation.ts) say
// to each other over IPC, and the digests both sides compare.
import { createHash } from 'node:crypto';
import type { SyncEngineOptions } from '@hall/station';

export interface HallStationSpec {
  /** Raw station configs (validated here as a station would validate its file). */
  configs: Record<string, unknown>[];
  sync: SyncEngineOptions;
  requestTimeoutMs?: number;
}

export type HallCommand =
  | { cmd: 'status' }
  | { cmd: 'watch'; on: boolean }
  | { cmd: 'issue'; station: string; serviceId: string }
  | { cmd: 'open'; station: string }
  | { cmd: 'call'; station: string }
  | { cmd: 'serveAndFinish'; station: string; ticketId: string }
  | { cmd: 'partition'; station: string; blockPorts: number[] }
  | { cmd: 'heal' }
  | { cmd: 'activity'; intervalMs: number; seed: number }
  | { cmd: 'stopActivity' }
  | { cmd: 'drive'; count: number; gapMs: number };

export interface StationReport {
  deviceId: string;
  online: boolean;
  hallMode: string | undefined;
  peers: number;
  pending: number;
  rejected: number;
  peerPending: number;
  cursor: number;
  /** Leased numbers left per queue (kiosks). */
  numbers: Record<string, number>;
  /** Digest of every mutation held (own outbox and peers' rows), by device, epoch and seq. */
  held: string;
  heldCount: number;
  /** Sum of the seqs the station advertises (its mesh vector): what it claims to hold. */
  advertised: number;
  /** Digest of the live tickets (canonical JSON): equal digests, equal screens. */
  tickets: string;
  ticketCount: number;
  /** Last time a peer mutation arrived or the live state changed. */
  lastChangeAt: number;
  /** Own mutations committed. */
  committed: number;
}

/** Live events of a watched station: a ticket newly waiting or newly called, stamped when its live state changed. */
export interface HallEvent {
  ev: 'waiting' | 'called' | 'committed';
  station: string;
  ticketId: string;
  at: number;
  /** When the store began taking the peer mutation that caused it (after UDP receive and decryption). */
  receivedAt?: number;
}

/** JSON with sorted keys: two stations' equal tickets give equal text. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function ticketsDigest(tickets: Record<string, unknown>): string {
  const hash = createHash('sha1');
  for (const id of Object.keys(tickets).sort()) hash.update(canonical(tickets[id])).update('\n');
  return hash.digest('hex');
}
