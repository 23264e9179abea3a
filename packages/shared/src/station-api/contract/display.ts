import { z } from 'zod';
import { AnnouncementClipSchema, DisplayStateSchema } from '../display';
import { empty, method } from './method';

/* ---- Display station: the wall's state and its spoken announcements ---- */

export const DISPLAY_METHODS = {
  /** Display: everything the wall shows, recomputed by the station (also pushed as the `display.state` event). */
  'display.state': method(empty, DisplayStateSchema),
  /** Display: the joined announcement of a pending call (chime + Mandarin [+ English]); null without voice clips. */
  'announcement.clip': method(z.object({ key: z.string().max(128) }).strict(), AnnouncementClipSchema.nullable()),
  /** Display: the renderer finished (or could not play) an announcement; it is never announced again. */
  'announcement.done': method(
    z.object({ key: z.string().max(128), outcome: z.enum(['played', 'failed']) }).strict(),
    z.object({ ok: z.literal(true) }),
  ),
} as const;

export const DISPLAY_EVENTS = {
  /** Display: the wall's whole state, after any change (calls from either path, counters, queues). */
  'display.state': DisplayStateSchema,
} as const;
