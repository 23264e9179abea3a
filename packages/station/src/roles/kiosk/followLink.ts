import { createHmac } from 'node:crypto';
import { FOLLOW_KEY_LABEL, FOLLOW_TAG_LENGTH, formatFollowReference } from '@hall/shared';

/**
 * Signs follow links with the key derived from the city's citizen key (see
 * packages/shared/src/phone/follow.ts), so a slip printed while the central API is away
 * still opens the ticket's page once the ticket reaches it.
 */
export function followLinkSigner(citizenKey: string): (ticketId: string) => string {
  const followKey = createHmac('sha256', citizenKey).update(FOLLOW_KEY_LABEL).digest();
  return (ticketId) => formatFollowReference(ticketId, createHmac('sha256', followKey).update(ticketId).digest('base64url').slice(0, FOLLOW_TAG_LENGTH));
}
