import { createHmac } from 'node:crypto';
import { DEVICE_PROOF_FIELD, deviceMutationMessage, type DeviceKey, type DeviceProof, type Mutation } from '@hall/shared';

/**
 * Proves each mutation this station makes with its device key (deviceProof.ts in shared), so a
 * hall peer that relays it to the central API cannot have made it up. The key never leaves the
 * station: peers carry the proof, not the key.
 */
export class DeviceProver {
  readonly keyId: string;
  private readonly secret: Buffer;

  constructor(key: DeviceKey) {
    this.keyId = key.keyId;
    this.secret = Buffer.from(key.key, 'base64url');
  }

  /** The payload field to add to `mutation`, made last: over the payload with every other proof in it. */
  prove(mutation: Pick<Mutation, 'id' | 'deviceId' | 'epoch' | 'seq' | 'type' | 'hlc' | 'payload'>): Record<string, DeviceProof> {
    const mac = createHmac('sha256', this.secret).update(deviceMutationMessage(mutation)).digest('base64url');
    return { [DEVICE_PROOF_FIELD]: { keyId: this.keyId, mac } };
  }
}
