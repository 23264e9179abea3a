import { createHmac, timingSafeEqual } from 'node:crypto';
import { FOLLOW_KEY_LABEL, FOLLOW_TAG_LENGTH, parseFollowReference } from '@hall/shared';
import type { ServerContext } from '../context';
import { citizenKey } from '../residence-code/keys';

/** The tag a kiosk computed for this ticket id (packages/shared/src/phone/follow.ts). */
export function followTag(key: string, ticketId: string): string {
  const followKey = createHmac('sha256', key).update(FOLLOW_KEY_LABEL).digest();
  return createHmac('sha256', followKey).update(ticketId).digest('base64url').slice(0, FOLLOW_TAG_LENGTH);
}

/** The ticket a follow reference names, or undefined when it is malformed, forged or altered. */
export async function verifiedTicketId(ctx: Pick<ServerContext, 'db' | 'dataKeys'>, reference: string): Promise<string | undefined> {
  const parsed = parseFollowReference(reference);
  if (!parsed) return undefined;
  const expected = Buffer.from(followTag(await citizenKey(ctx.db, ctx.dataKeys), parsed.ticketId));
  const given = Buffer.from(parsed.tag);
  return expected.length === given.length && timingSafeEqual(expected, given) ? parsed.ticketId : undefined;
}
