import { z } from 'zod';
import { IdSchema, MutationSchema } from '@hall/shared';

/** The plaintext inside a sealed mesh frame (see crypto.ts for the frame around it). */
export const MESH_PROTOCOL_VERSION = 1;
/** More than any honest sender puts in one datagram; bounds the work one message can cause. */
const MAX_MUTATIONS_PER_MESSAGE = 2000;
const MAX_VECTOR_ENTRIES = 20_000;

export const MeshVectorEntrySchema = z.object({ deviceId: IdSchema, epoch: IdSchema, seq: z.number().int().min(0) }).strict();

/** A (device, epoch) pair (rules/vector.ts orders them). */
export const MeshVectorKeySchema = z.object({ deviceId: IdSchema, epoch: IdSchema }).strict();

/** A span of one device's seqs, both ends included. */
export const MeshSeqRangeSchema = z
  .object({ deviceId: IdSchema, epoch: IdSchema, low: z.number().int().min(1), high: z.number().int().min(1) })
  .strict()
  .refine((range) => range.low <= range.high);

/** What the sender itself heard the server decide of one mutation (logSeq 0: applied, position unknown). */
export const MeshDecisionSchema = z.union([
  z.object({ id: z.string().min(1).max(64), logSeq: z.number().int().min(0) }).strict(),
  z.object({ id: z.string().min(1).max(64), rejected: z.literal(true) }).strict(),
]);

export const MeshBodySchema = z.discriminatedUnion('type', [
  /** Sent on commit, and as the answer to an advert or want. */
  z.object({ type: z.literal('mutations'), mutations: z.array(MutationSchema).min(1).max(MAX_MUTATIONS_PER_MESSAGE) }).strict(),
  /**
   * The sender's vector. A vector too large for one datagram is sent in parts, each covering
   * the keys in (after, upTo] — so a receiver can still tell "the sender lacks this key"
   * from "this key is in another part". Absent bounds mean open-ended.
   */
  z
    .object({
      type: z.literal('advert'),
      vector: z.array(MeshVectorEntrySchema).max(MAX_VECTOR_ENTRIES),
      /** The port the sender listens on, if it differs from the datagram's source port. */
      port: z.number().int().min(1).max(65535).optional(),
      after: MeshVectorKeySchema.optional(),
      upTo: MeshVectorKeySchema.optional(),
      /** Grows (per boot) whenever the sender hears the server decide something: a peer whose view is older asks. */
      decided: z.number().int().min(0).optional(),
    })
    .strict(),
  /** "I hold these seqs, send me what follows": sent when a peer's advert shows it holds more. */
  z.object({ type: z.literal('want'), vector: z.array(MeshVectorEntrySchema).min(1).max(MAX_VECTOR_ENTRIES) }).strict(),
  /** "What did the server decide of these seqs?": the ones the sender holds and has not heard decided. */
  z.object({ type: z.literal('ask'), ranges: z.array(MeshSeqRangeSchema).min(1).max(MAX_VECTOR_ENTRIES) }).strict(),
  /** The answer to an ask, in parts; `final` on the last, `decided` as in the sender's advert when it answered. */
  z
    .object({
      type: z.literal('decisions'),
      decided: z.number().int().min(0),
      final: z.boolean(),
      decisions: z.array(MeshDecisionSchema).max(MAX_MUTATIONS_PER_MESSAGE),
    })
    .strict(),
]);
export type MeshBody = z.infer<typeof MeshBodySchema>;

export const MeshMessageSchema = z
  .object({
    v: z.literal(MESH_PROTOCOL_VERSION),
    hallId: IdSchema,
    senderId: IdSchema,
    /** Grows at every start of the sender: with `counter`, what the replay guard checks (no clocks). */
    boot: z.number().int().positive(),
    /** Per boot, one more for every message sealed (a resend is a new message). */
    counter: z.number().int().min(0),
    body: MeshBodySchema,
  })
  .strict();
export type MeshMessage = z.infer<typeof MeshMessageSchema>;

export type MessageRefusal = 'invalid' | 'wrong_hall';
export type ParseResult = { ok: true; message: MeshMessage } | { ok: false; refusal: MessageRefusal };

/** Validates an opened frame's plaintext; never throws. */
export function parseMeshMessage(plaintext: Buffer, hallId: string): ParseResult {
  let raw: unknown;
  try {
    raw = JSON.parse(plaintext.toString('utf8'));
  } catch {
    return { ok: false, refusal: 'invalid' };
  }
  const parsed = MeshMessageSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, refusal: 'invalid' };
  if (parsed.data.hallId !== hallId) return { ok: false, refusal: 'wrong_hall' };
  return { ok: true, message: parsed.data };
}

export function serializeMeshMessage(message: MeshMessage): Buffer {
  return Buffer.from(JSON.stringify(message), 'utf8');
}
