import { z } from 'zod';

/**
 * The public address of the citizen's phone pages (issue 18): what slips' QR codes
 * (/follow), acceptance receipts (/track) and SMS links start with. Set per hall in the
 * console because the address a phone reaches (the city's web gateway) is rarely the one a
 * station syncs with; absent, stations use their own API address as before.
 */
export const PublicBaseUrlSchema = z
  .string()
  .trim()
  .max(200)
  // Written out (no URL class here: shared runs without DOM or Node types): scheme, host, optional port and path.
  .regex(/^https?:\/\/[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?(?:\/[A-Za-z0-9._~%!$&'()*+,;=:@/-]*)?$/, 'an http:// or https:// address without query, fragment or credentials, e.g. https://hall.example.gov.cn')
  // One form everywhere: no trailing slash, so `${base}/follow/…` never doubles it.
  .transform((text) => text.replace(/\/+$/, ''));

export const PhoneLinksSchema = z.object({ baseUrl: PublicBaseUrlSchema }).strict();
export type PhoneLinks = z.infer<typeof PhoneLinksSchema>;

/** The slip's follow-link prefix: the hall's public address when set, else the station's own. */
export function followUrlBase(links: PhoneLinks | undefined, fallback: string): string {
  return links ? `${links.baseUrl}/follow` : fallback;
}
