import { z } from 'zod';

/** Where a station stands in its hall (see `SyncStatus.hall`). */
export const HallLinkSchema = z.object({
  mode: z.enum(['connected', 'mesh', 'alone']),
  /** Other stations of the hall heard over the LAN within the last few seconds. */
  peers: z.number().int().min(0),
  /** Mutations of other stations this one holds that the central API has not confirmed yet. */
  peerPending: z.number().int().min(0),
  /** When the current mode began (ISO). */
  since: z.string(),
});
export type HallLink = z.infer<typeof HallLinkSchema>;
export type HallMode = HallLink['mode'];
