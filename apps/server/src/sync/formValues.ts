import type { DataKeyring } from '../secrets/keyring';
import { isSealed } from '../secrets/keyring';
import { sealContext } from '../secrets/atRest';

/** Form values (names, ID numbers, addresses) are sealed at rest, bound to their case. */
const COLUMN = { table: 'sync_case_forms', column: 'values_json' } as const;

export function sealFormValues(keyring: DataKeyring, caseId: string, values: unknown): string {
  return keyring.seal(JSON.stringify(values), sealContext(COLUMN, caseId));
}

/**
 * The values of one case. A row still in plain text (written before this build, before the
 * start-up seal reached it) is read as it is; the start-up seal replaces it.
 */
export function openFormValues(keyring: DataKeyring, caseId: string, stored: string): unknown {
  return JSON.parse(isSealed(stored) ? keyring.open(stored, sealContext(COLUMN, caseId)) : stored) as unknown;
}
