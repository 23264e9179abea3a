import type { Catalogue, ReleaseClaim, Ticket } from '@hall/shared';
import { priorityGroupNeedsRelease } from '@hall/shared';
import type { SyncDb } from '../sync/tables';
import { proofMatches, releaseDb, type ReleasePasswordRow, type ReleaseUseRow } from './store';

type Refusal = { ok: false; code: string; reason: string };

interface ReleasedCommand {
  priorityGroupId?: string | undefined;
  release?: ReleaseClaim | undefined;
}

/**
 * The server's word on a released ticket, before the engine decides it: a priority group the
 * ID card cannot reveal (no minAge) only with a release of kind special for that group; a
 * release only with a proof that opens a live password of this hall for the ticket's day, of
 * the claimed kind and uses, not used up (the recorded uses plus this batch's). Loaded once
 * per push batch, like the lease book.
 */
export class ReleaseBook {
  private readonly rows = new Map<string, ReleasePasswordRow | undefined>();
  private readonly uses = new Map<string, number>();
  readonly recorded: ReleaseUseRow[] = [];

  constructor(
    private readonly db: SyncDb,
    private readonly hallId: string,
  ) {}

  private async password(id: string): Promise<ReleasePasswordRow | undefined> {
    if (!this.rows.has(id)) {
      const rdb = releaseDb(this.db);
      const row = await rdb.selectFrom('release_passwords').selectAll().where('id', '=', id).where('hall_id', '=', this.hallId).executeTakeFirst();
      this.rows.set(id, row);
      const used = await rdb.selectFrom('release_uses').select((eb) => eb.fn.countAll().as('n')).where('password_id', '=', id).executeTakeFirst();
      this.uses.set(id, Number(used?.n ?? 0));
    }
    return this.rows.get(id);
  }

  async check(catalogue: Catalogue, command: ReleasedCommand, day: string): Promise<Refusal | undefined> {
    const { release } = command;
    const group = catalogue.callingRules.priorityGroups.find((g) => g.id === command.priorityGroupId);
    if (release === undefined) {
      if (priorityGroupNeedsRelease(group)) {
        return { ok: false, code: 'release_required', reason: `priority group ${command.priorityGroupId} is set only with a floor guide's release password` };
      }
      return undefined;
    }
    const row = await this.password(release.passwordId);
    if (!row || !proofMatches(row, release.proof)) return { ok: false, code: 'release_wrong', reason: `release password ${release.serial} does not match` };
    if (row.revoked_at !== null) return { ok: false, code: 'release_revoked', reason: `release password ${row.serial} of ${row.day} was revoked` };
    if (row.day !== day) return { ok: false, code: 'release_expired', reason: `release password ${row.serial} is for ${row.day}, not ${day}` };
    if (row.kind !== release.kind || Number(row.max_uses) !== release.maxUses || Number(row.serial) !== release.serial || (row.priority_group_id ?? undefined) !== command.priorityGroupId) {
      return { ok: false, code: 'release_mismatch', reason: `the ticket does not match release password ${row.serial} (kind, group or uses)` };
    }
    if ((this.uses.get(row.id) ?? 0) >= Number(row.max_uses)) {
      return { ok: false, code: 'release_used', reason: `release password ${row.serial} of ${row.day} has been used ${row.max_uses} time(s)` };
    }
    return undefined;
  }

  /** An applied released ticket: one more use, and its supervision row for the batch's flush. */
  record(ticket: Ticket, release: ReleaseClaim, deviceId: string): void {
    this.uses.set(release.passwordId, (this.uses.get(release.passwordId) ?? 0) + 1);
    this.recorded.push({
      ticket_id: ticket.id,
      password_id: release.passwordId,
      hall_id: this.hallId,
      day: ticket.day,
      number: ticket.number,
      serial: release.serial,
      kind: release.kind,
      priority_group_id: ticket.priorityGroupId ?? null,
      reason: release.reason,
      note: release.note ?? null,
      device_id: deviceId,
      issued_at: ticket.issuedAt,
    });
  }

  async flush(trx: SyncDb): Promise<void> {
    if (this.recorded.length === 0) return;
    await releaseDb(trx).insertInto('release_uses').values(this.recorded).onConflict((oc) => oc.column('ticket_id').doNothing()).execute();
  }
}
