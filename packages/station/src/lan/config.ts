import { z } from 'zod';
import { LAN_DEFAULT_PORT } from './message';

export const LanPeerSchema = z.object({ host: z.string().min(1), port: z.number().int().min(1).max(65535).default(LAN_DEFAULT_PORT) }).strict();
export type LanPeer = z.infer<typeof LanPeerSchema>;

/**
 * A station's part in the LAN call feed. Counters send to `peers` (the hall's displays)
 * and, when `broadcast` is set, to the hall subnet's broadcast address, so a display added
 * later is found without reconfiguring every counter. Displays listen on `listen`.
 */
export const LanConfigSchema = z
  .object({
    /**
     * Developer stations only (started without a config file): a fixed hall LAN key (hex or
     * base64, ≥ 32 bytes). A deployed station refuses it: its key ring comes from the central
     * API (enrollment, rotation in the console).
     */
    key: z.string().min(43).optional(),
    peers: z.array(LanPeerSchema).default([]),
    broadcast: z.object({ address: z.string().min(1), port: z.number().int().min(1).max(65535).default(LAN_DEFAULT_PORT) }).strict().optional(),
    listen: z
      .object({ bind: z.string().default('0.0.0.0'), port: z.number().int().min(0).max(65535).default(LAN_DEFAULT_PORT) })
      .strict()
      .optional(),
    /** Messages whose send time differs from the receiver's clock by more are refused. */
    windowMs: z.number().int().min(1000).max(600_000).default(30_000),
  })
  .strict();
export type LanConfig = z.infer<typeof LanConfigSchema>;
