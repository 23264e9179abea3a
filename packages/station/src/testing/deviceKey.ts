import { createHash } from 'node:crypto';
import { DeviceProver } from '../sync/deviceProof';

/** A device key for stations of unit tests that meet no central API: what they make, a peer may relay. */
export function testDeviceProver(deviceId: string): DeviceProver {
  return new DeviceProver({ keyId: `dk-test-${deviceId}`, key: createHash('sha256').update(`test device key ${deviceId}`).digest('base64url') });
}
