import { createHash } from 'node:crypto';
import type { LockerRepository } from './repository';

export type DoorAction = 'open_intent' | 'opened' | 'jammed' | 'closed' | 'found_open_after_restart' | 'uncertain_after_restart' | 'left_open';

export interface AuditRecord {
  compartmentId: string;
  parcelId?: string;
  action: DoorAction;
  /** Who caused it: "clerk:deposit-code", "citizen:residence-code", "staff:<id>", "station". */
  actor: string;
  /** Why, in plain words (case number, purpose). No personal data. */
  reason: string;
}

export interface AuditRow extends AuditRecord {
  seq: number;
  at: string;
  hash: string;
}

/**
 * Every door opening, with who, what and why. Rows chain by hash (each covers the one
 * before), so a row edited or removed outside SQLite's triggers shows up in `verifyChain`.
 */
export class AuditLog {
  constructor(private readonly repository: Pick<LockerRepository, 'lastAuditHash' | 'appendAudit' | 'auditRows'>) {}

  append(record: AuditRecord, at: string): void {
    this.repository.appendAudit(record, at, chainHash(this.repository.lastAuditHash() ?? '', record, at));
  }

  rows(): AuditRow[] {
    return this.repository.auditRows();
  }

  /** The seq of the first row whose hash does not match, or undefined when the chain is whole. */
  verifyChain(): number | undefined {
    let previous = '';
    for (const row of this.rows()) {
      if (chainHash(previous, row, row.at) !== row.hash) return row.seq;
      previous = row.hash;
    }
    return undefined;
  }
}

function chainHash(previous: string, record: AuditRecord, at: string): string {
  const body = JSON.stringify([previous, at, record.compartmentId, record.parcelId ?? null, record.action, record.actor, record.reason]);
  return createHash('sha256').update(body).digest('hex');
}
