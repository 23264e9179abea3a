import type Database from 'better-sqlite3';
import { openStationDb } from '../../store/open';

/**
 * The kiosk's own records, beside the station store (as the counter keeps counter.db): the
 * residence-code key set and replay ledger (StationCodeVerifier adds those tables) and the
 * tickets this kiosk printed (PrintRecord), so a slip can be reprinted even when the hall
 * refused it. Each owner creates its tables if missing, as ResidenceCodeRepository.ensureTables does.
 */
export function openKioskDb(file: string): Database.Database {
  return openStationDb(file, []);
}
