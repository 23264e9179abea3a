import type { Kysely } from 'kysely';
import type { ServerContext } from '../../context';
import { sealContext, type SealedColumn } from '../../secrets/atRest';

type Loose = Kysely<Record<string, Record<string, string>>>;
type Filter = readonly [column: string, op: '<' | '=' | 'in', value: string | readonly string[]];

/**
 * Replaces a sealed phone column by a sealed empty string where the filters match: the row
 * stays (an outbox row's idempotency key, a parcel's history), the number goes. Purged rows
 * hold a sealed empty string, longer than nothing but shorter than any sealed number.
 */
export async function blankSealedPhones(ctx: Pick<ServerContext, 'db' | 'dataKeys'>, target: SealedColumn, filters: readonly Filter[]): Promise<number> {
  const db = ctx.db as unknown as Loose;
  const empty = ctx.dataKeys.seal('', 'purge:probe');
  let blanked = 0;
  for (;;) {
    let query = db.selectFrom(target.table).select([target.key, target.column]).where((eb) => eb(eb.fn('length', [target.column]), '>', empty.length));
    for (const [column, op, value] of filters) query = query.where(column, op, value);
    const rows = await query.limit(200).execute();
    if (rows.length === 0) return blanked;
    for (const row of rows) {
      const key = row[target.key]!;
      await db.updateTable(target.table).set({ [target.column]: ctx.dataKeys.seal('', sealContext(target, key)) }).where(target.key, '=', key).where(target.column, '=', row[target.column]!).execute();
      blanked++;
    }
  }
}

