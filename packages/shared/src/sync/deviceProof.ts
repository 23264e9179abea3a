import { z } from 'zod';
import { IdSchema } from '../domain/index';
import { canonicalJson } from './canonicalJson';
import type { Mutation } from './mutation';

/**
 * Evidence that a mutation was made by the station it names as its origin.
 *
 * A station pushes its own mutations with its bearer credential, which names it. A hall peer
 * relaying them (HALL-MESH.md: a kiosk that died during an outage still gets its tickets to
 * the central API) cannot show the origin's credential, so without more a stolen credential of
 * one station could push work in the name of any other station of its hall. So every station
 * MACs each mutation it makes with its device key (32 random bytes the central API issues to
 * that enrollment, kept by the server sealed, never sent over the LAN), and the server decides
 * a relayed mutation only when the MAC holds. The MAC is HMAC-SHA-256; this module only builds
 * the message (no Node APIs here).
 */
export const DEVICE_PROOF_FIELD = 'deviceProof';

export const DeviceProofSchema = z
  .object({
    /** The device key's id: a re-enrollment issues a new key, and the old one proves nothing more. */
    keyId: IdSchema,
    /** HMAC(device key, deviceMutationMessage). */
    mac: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'expected 32 bytes in base64url'),
  })
  .strict();
export type DeviceProof = z.infer<typeof DeviceProofSchema>;

/** What the central API hands a station for its current enrollment (SYNC_PATHS.deviceKey). */
export const DeviceKeySchema = z.object({ keyId: IdSchema, key: z.string().regex(/^[A-Za-z0-9_-]{43}$/) }).strict();
export type DeviceKey = z.infer<typeof DeviceKeySchema>;

/**
 * What the device key MACs: the mutation as pushed, with its epoch and seq (a station that
 * renumbers its unconfirmed work proves it again, so a genuine proof cannot be replayed at
 * another seq to reorder the origin's work) and its clerk proof, without the device proof itself.
 */
export function deviceMutationMessage(m: Pick<Mutation, 'id' | 'deviceId' | 'epoch' | 'seq' | 'type' | 'hlc' | 'payload'>): string {
  const { [DEVICE_PROOF_FIELD]: _proof, ...payload } = m.payload;
  return ['hall-device-mutation/v1', m.id, m.deviceId, m.epoch, String(m.seq), m.type, m.hlc, canonicalJson(payload)].join('\n');
}
