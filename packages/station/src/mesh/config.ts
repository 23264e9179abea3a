import { z } from 'zod';

/** Default UDP port of the hall mesh (the LAN call feed uses 47123). */
export const MESH_DEFAULT_PORT = 47_124;

const PortSchema = z.number().int().min(1).max(65535);

export const MeshPeerSchema = z.object({ host: z.string().min(1).max(253), port: PortSchema.default(MESH_DEFAULT_PORT) }).strict();
export type MeshPeer = z.infer<typeof MeshPeerSchema>;

/**
 * A station's place in the hall mesh. `peers` are the hall's other stations as installed;
 * `discovery` (the hall subnet's broadcast address, or a multicast group) lets a station
 * added later be found without editing every config. There is deliberately no key here:
 * the LAN key comes from the central API with the station's credential, and `strict()`
 * refuses a config that tries to carry one.
 */
export const MeshConfigSchema = z
  .object({
    /** 0 picks a free port (tests, one-machine demos that list peers by the port they print). */
    port: z.number().int().min(0).max(65535).default(MESH_DEFAULT_PORT),
    bind: z.string().min(1).default('0.0.0.0'),
    peers: z.array(MeshPeerSchema).max(256).default([]),
    discovery: z.object({ address: z.string().min(1), port: PortSchema.default(MESH_DEFAULT_PORT) }).strict().optional(),
    advertIntervalMs: z.number().int().min(100).max(60_000).optional(),
    /** How long at most a peer's advert of mutations this station lacks holds its pushes (default 2 advert intervals). */
    pushHoldBoundMs: z.number().int().min(0).max(60_000).optional(),
  })
  .strict();
export type MeshConfig = z.infer<typeof MeshConfigSchema>;
