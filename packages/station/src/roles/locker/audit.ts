import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';

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
  constructor(private readonly db: Database.Database) {}

  append(record: AuditRecord, at: string): void {
    const previous = this.db.prepare('SELECT hash FROM audit ORDER BY seq DESC LIMIT 1').get() as { hash: string } | undefined;
    const hash = chainHash(previous?.hash ?? '', record, at);
    this.db
      .prepare('INSERT INTO audit (at, compartment_id, parcel_id, action, actor, reason, hash) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(at, record.compartmentId, record.parcelId ?? null, record.action, record.actor, record.reason, hash);
  }

  rows(): AuditRow[] {
    const rows = this.db.prepare('SELECT * FROM audit ORDER BY seq').all() as {
      seq: number;
      at: string;
      compartment_id: string;
      parcel_id: string | null;
      action: DoorAction;
      actor: string;
      reason: string;
      hash: string;
    }[];
    return rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      compartmentId: r.compartment_id,
      ...(r.parcel_id === null ? {} : { parcelId: r.parcel_id }),
      action: r.action,
      actor: r.actor,
      reason: r.reason,
      hash: r.hash,
    }));
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
