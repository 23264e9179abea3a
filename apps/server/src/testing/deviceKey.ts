import type { FastifyInstance } from 'fastify';
import { DeviceKeySchema, SYNC_HEADERS, SYNC_PROTOCOL_VERSION, SYNC_SCHEMA_VERSION, type Mutation } from '@hall/shared';
// Tests prove mutations as a station does; the server itself never imports the station.
import { DeviceProver } from '@hall/station';

/** The device's key through the real endpoint, as a station fetches it at start. */
export async function deviceProverOf(app: FastifyInstance, credential: string): Promise<DeviceProver> {
  const response = await app.inject({
    method: 'GET',
    url: '/api/v1/sync/device-key',
    headers: { [SYNC_HEADERS.protocol]: String(SYNC_PROTOCOL_VERSION), [SYNC_HEADERS.schema]: String(SYNC_SCHEMA_VERSION), authorization: `Bearer ${credential}` },
  });
  if (response.statusCode !== 200) throw new Error(`device key: ${response.statusCode} ${response.body}`);
  return new DeviceProver(DeviceKeySchema.parse(response.json()));
}

/** The mutation with its device proof, made last as the station makes it. */
export function deviceProven(prover: DeviceProver, mutation: Mutation): Mutation {
  return { ...mutation, payload: { ...mutation.payload, ...prover.prove(mutation) } };
}
