import { createSocket, type Socket } from 'node:dgram';
import { decodeLanMessage, parseLanKey, ReplayGuard, type LanCall, type LanCounterState, type LanKeySource, type LanRefusal } from './message';

export interface LanCallReceiverOptions {
  hallId: string;
  /** The station's LAN key ring (from the central API): every accepted key opens. */
  keys?: LanKeySource;
  /** A fixed key as text (hex or base64): developer stations and tests; `keys` otherwise. */
  key?: string;
  bind?: string;
  /** 0 picks a free port (tests). */
  port: number;
  windowMs?: number;
  onCall(call: LanCall, senderId: string): void;
  onCounterState?(state: LanCounterState, senderId: string): void;
  /** Refused datagrams: counted for health, never acted on. Carries no message content. */
  onRefused?(refusal: LanRefusal, from: string): void;
  now?: () => number;
}

export interface LanCallReceiver {
  port: number;
  readonly stats: { accepted: number; refused: Record<LanRefusal, number> };
  close(): Promise<void>;
}

/** The display side of the LAN call feed: authenticated, replay-checked, hall-checked. */
export async function startLanCallReceiver(options: LanCallReceiverOptions): Promise<LanCallReceiver> {
  const fixed = options.key === undefined ? undefined : parseLanKey(options.key);
  const keySource = options.keys;
  if (!fixed && !keySource) throw new Error('the LAN call receiver needs the hall LAN key ring (keys) or, on a developer station, a key');
  const now = options.now ?? Date.now;
  const guard = new ReplayGuard(options.windowMs ?? 30_000);
  const stats = {
    accepted: 0,
    refused: { malformed: 0, bad_mac: 0, invalid: 0, wrong_hall: 0, stale: 0, replayed: 0, no_key: 0 } as Record<LanRefusal, number>,
  };
  const socket: Socket = createSocket({ type: 'udp4', reuseAddr: true });
  const refuse = (refusal: LanRefusal, from: string) => {
    stats.refused[refusal]++;
    options.onRefused?.(refusal, from);
  };
  socket.on('message', (datagram, remote) => {
    const from = `${remote.address}:${remote.port}`;
    const keys = fixed ?? keySource?.()?.accepted;
    if (!keys) return refuse('no_key', from);
    const decoded = decodeLanMessage(keys, datagram, options.hallId);
    if (!decoded.ok) return refuse(decoded.refusal, from);
    const { payload } = decoded;
    const verdict = guard.check(payload.messageId, payload.sentAt, now());
    if (verdict !== 'ok') return refuse(verdict, from);
    stats.accepted++;
    if (payload.body.type === 'call') options.onCall(payload.body.call, payload.senderId);
    else options.onCounterState?.(payload.body.counter, payload.senderId);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port, options.bind ?? '0.0.0.0', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  // A socket error after binding (interface gone) must not crash the display.
  socket.on('error', () => undefined);
  return {
    port: socket.address().port,
    stats,
    async close() {
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}
