import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { CounterStateSchema, IdSchema, TimestampSchema } from '@hall/shared';
import type { MeshKey, MeshKeyRing } from '../mesh/types';

/**
 * The LAN call feed: counters tell the hall's displays about each call (and counter state
 * change) directly, so calling keeps working while the central API is away. Each datagram
 * is `{"p": "<payload JSON>", "m": "<HMAC-SHA256 of p, hex>", "k": "<key id>"}` with the
 * hall's LAN key: the MAC covers the exact bytes sent, so no canonical JSON is needed, and a
 * laptop on the LAN without the key cannot forge or alter a call. The key comes from the
 * central API (the station's LAN key ring): senders use the current key, receivers accept
 * every key of the ring, so a rotation in the console never interrupts the feed.
 */
export const LAN_PROTOCOL_VERSION = 1;
/** Default UDP port of a display's LAN feed. */
export const LAN_DEFAULT_PORT = 47_123;
export const LAN_MAX_DATAGRAM = 4096;

export const LanCallSchema = z.object({
  ticketId: IdSchema,
  ticketNumber: z.string().regex(/^[A-Z]\d{2,4}$/),
  counterId: IdSchema,
  counterNumber: z.string().min(1).max(8),
  kind: z.enum(['call', 'recall']),
  /** The ticket's lastCalledAt: the same instant the synced ticket carries, so both paths dedupe. */
  calledAt: TimestampSchema,
  callCount: z.number().int().min(1),
});
export type LanCall = z.infer<typeof LanCallSchema>;

export const LanCounterStateSchema = z.object({
  counterId: IdSchema,
  counterNumber: z.string().min(1).max(8),
  state: CounterStateSchema,
  /** Number of the ticket being served, for the counter sign. */
  servingTicketNumber: z.string().regex(/^[A-Z]\d{2,4}$/).optional(),
  at: TimestampSchema,
});
export type LanCounterState = z.infer<typeof LanCounterStateSchema>;

export const LanBodySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call'), call: LanCallSchema }),
  z.object({ type: z.literal('counterState'), counter: LanCounterStateSchema }),
]);
export type LanBody = z.infer<typeof LanBodySchema>;

export const LanPayloadSchema = z.object({
  v: z.literal(LAN_PROTOCOL_VERSION),
  hallId: IdSchema,
  senderId: IdSchema,
  /** Unique per message (resends of one message keep it): the replay guard's key. */
  messageId: z.string().min(8).max(64),
  /** Sender's clock, ms since epoch: messages outside the receiver's window are refused. */
  sentAt: z.number().int().positive(),
  body: LanBodySchema,
});
export type LanPayload = z.infer<typeof LanPayloadSchema>;

const EnvelopeSchema = z
  .object({ p: z.string().max(LAN_MAX_DATAGRAM), m: z.string().regex(/^[0-9a-f]{64}$/), k: z.string().min(1).max(64).optional() })
  .strict();

/** Where the feed takes its keys: the station's latest ring (it changes on rotation); undefined until the station has one. */
export type LanKeySource = () => MeshKeyRing | undefined;

/** A hall LAN key given as text (hex or base64, at least 32 bytes): developer stations and tests. */
export function parseLanKey(text: string): Buffer {
  const key = /^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0 ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length < 32) throw new Error('the hall LAN key must be at least 32 bytes (64 hex characters)');
  return key;
}

function mac(key: Buffer, payload: string): Buffer {
  return createHmac('sha256', key).update(payload, 'utf8').digest();
}

/** Seals with a bare key, or with a ring's key, whose id then travels in the envelope. */
export function encodeLanMessage(key: Buffer | MeshKey, payload: LanPayload): Buffer {
  const p = JSON.stringify(payload);
  if (Buffer.isBuffer(key)) return Buffer.from(JSON.stringify({ p, m: mac(key, p).toString('hex') }), 'utf8');
  return Buffer.from(JSON.stringify({ p, m: mac(key.key, p).toString('hex'), k: key.kid }), 'utf8');
}

/** `no_key`: the station has no LAN key yet (not enrolled, central API never reached). */
export type LanRefusal = 'malformed' | 'bad_mac' | 'invalid' | 'wrong_hall' | 'stale' | 'replayed' | 'no_key';

/** The keys that may have sealed an envelope: the one its key id names, or (no id) every accepted key. */
function candidates(keys: Buffer | readonly MeshKey[], kid: string | undefined): Buffer[] {
  if (Buffer.isBuffer(keys)) return [keys];
  return (kid === undefined ? keys : keys.filter((k) => k.kid === kid)).map((k) => k.key);
}

export type DecodeResult = { ok: true; payload: LanPayload } | { ok: false; refusal: LanRefusal; detail: string };

/** Checks the MAC before looking at the payload, so nothing unauthenticated is even parsed. */
export function decodeLanMessage(keys: Buffer | readonly MeshKey[], datagram: Buffer, hallId: string): DecodeResult {
  if (datagram.length > LAN_MAX_DATAGRAM) return { ok: false, refusal: 'malformed', detail: 'datagram too large' };
  let envelope: z.infer<typeof EnvelopeSchema>;
  try {
    const parsed = EnvelopeSchema.safeParse(JSON.parse(datagram.toString('utf8')));
    if (!parsed.success) return { ok: false, refusal: 'malformed', detail: 'not a LAN feed envelope' };
    envelope = parsed.data;
  } catch {
    return { ok: false, refusal: 'malformed', detail: 'not JSON' };
  }
  const given = Buffer.from(envelope.m, 'hex');
  if (!candidates(keys, envelope.k).some((key) => timingSafeEqual(mac(key, envelope.p), given))) {
    return { ok: false, refusal: 'bad_mac', detail: 'message authentication failed' };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(envelope.p);
  } catch {
    return { ok: false, refusal: 'invalid', detail: 'payload is not JSON' };
  }
  const payload = LanPayloadSchema.safeParse(raw);
  if (!payload.success) {
    const issue = payload.error.issues[0];
    return { ok: false, refusal: 'invalid', detail: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` };
  }
  if (payload.data.hallId !== hallId) return { ok: false, refusal: 'wrong_hall', detail: 'message for another hall' };
  return { ok: true, payload: payload.data };
}

/**
 * Refuses replays: a message older or newer than the window (clock skew included) is
 * stale, and a message id seen within the window is a replay. Ids are remembered only as
 * long as the window, so memory stays bounded by the hall's call rate.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  check(messageId: string, sentAt: number, now: number): 'ok' | 'stale' | 'replayed' {
    this.prune(now);
    if (Math.abs(now - sentAt) > this.windowMs) return 'stale';
    if (this.seen.has(messageId)) return 'replayed';
    this.seen.set(messageId, sentAt);
    return 'ok';
  }

  private prune(now: number): void {
    for (const [id, sentAt] of this.seen) if (now - sentAt > this.windowMs * 2) this.seen.delete(id);
  }

  get size(): number {
    return this.seen.size;
  }
}
