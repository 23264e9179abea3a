import type Database from 'better-sqlite3';
import type { EventData, IdentityCheck, StationEvent } from '@hall/shared';
import type { IdCardReader, TicketPrinter } from '@hall/devices';
import type { StationCore } from '../../core';
import type { CentralLogin, DepartmentNames, DepositCodeIssuer } from './clerkAuth';
import type { OfflineDepositIssuer } from './depositDelegation';
import type { PageScanner } from './capture';
import type { CaseFormFetcher } from './kioskForms';

/** A citizen's standing from the central API by keyed ID hash; undefined when it cannot be asked in time. */
export type CitizenStanding = (idHash: string) => Promise<IdentityCheck['standing']>;

export interface CounterRoleOptions {
  core: StationCore;
  /** 信用情况 shown with an identity check (no-shows, a bar); omitted offline. */
  standing?: CitizenStanding;
  db: Database.Database;
  central: CentralLogin;
  /**
   * Tells the central API the clerk signed out, so the session proves nothing made later.
   * Best effort: offline, the session simply ends with its hours.
   */
  signOut?: (end: { keyId: string; session: string; endedAt: string }) => void;
  /**
   * The central API's address as citizens' phones reach it: the acceptance receipt's QR is then
   * a link to its /track page; without it the QR is the hall-only `hall:case:` text.
   */
  publicBaseUrl?: string;
  /** 存件码 from the central locker service. */
  depositCodes?: DepositCodeIssuer;
  /**
   * 存件码 signed here with the counter's delegated key (depositDelegation.ts) when the central
   * locker service cannot be reached: an offline sign-in, sync offline, or the request failed
   * for want of the network.
   */
  offlineDepositCodes?: OfflineDepositIssuer;
  /** The hall's department names (central API); cached here for offline sign-ins. */
  departments?: () => Promise<DepartmentNames | undefined>;
  emit: <E extends StationEvent>(event: E, data: EventData<E>) => void;
  printer?: TicketPrinter;
  idCardReader?: IdCardReader;
  scanner?: PageScanner;
  /** 回显: the kiosk's forms from the central API (see syncCaseForms); absent means always offline. */
  caseForms?: CaseFormFetcher;
  /**
   * Whether sync reaches the central API now (the station's sync status). While it does not,
   * a kiosk form the hall mesh brought answers at once instead of after the fetch's timeout.
   */
  online?: () => boolean;
  /** The city's key for citizen id hashes (CitizenRef.idHash): HMAC-SHA256 over the normalised number. */
  idHashKey: string;
  now?: () => number;
}
