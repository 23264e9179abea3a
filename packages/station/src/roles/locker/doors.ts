import { randomUUID } from 'node:crypto';
import type { Compartment, CompartmentSize, LockerAlarm, LockerItem, ParcelEvent } from '@hall/shared';
import type { LockerController } from '@hall/devices';
import type { AuditLog, DoorAction } from './audit';
import { hmacHex, newPickupCode } from './crypto';
import type { LockerEventOutbox } from './events';
import type { DoorOpRow, DoorOpState, DoorPurpose, LockerRepository, ParcelRow } from './repository';

const OPENING: Record<DoorPurpose, ParcelEvent> = { deposit: 'door_opened', pickup: 'door_opened', return: 'door_opened' };

export interface DoorsOptions {
  compartments: ReadonlyMap<string, Compartment>;
  controller: LockerController;
  repo: LockerRepository;
  audit: AuditLog;
  events: LockerEventOutbox;
  /** The station secret pickup codes are hashed under. */
  secret: Buffer;
  now: () => number;
  leftOpenAfterMs: number;
  changed: () => void;
  alarm: (compartmentId: string, kind: LockerAlarm['kind']) => void;
  stopped: () => boolean;
}

export function lockerItem(row: ParcelRow): LockerItem {
  return { parcelId: row.id, caseNumber: row.case_number, compartmentId: row.compartment_id, status: row.status };
}

/**
 * The doors. Every opening follows the same write-ahead steps: intent recorded (with the
 * code spent) → door opened → result recorded → door closed → outcome recorded. On restart
 * an intent without a result is resolved from the door state, never by opening again, so
 * no door opens twice for one code.
 */
export class Doors {
  constructor(private readonly o: DoorsOptions) {}

  /** The write-ahead door opening. The intent (and, for pickups, the spent code) is committed before the lock board hears anything. */
  async openFor(parcel: ParcelRow, purpose: DoorPurpose, actor: string, reason: string): Promise<LockerItem> {
    const { repo, controller } = this.o;
    const compartment = this.o.compartments.get(parcel.compartment_id);
    if (!compartment) throw new Error(`compartment ${parcel.compartment_id} is not in the layout`);
    const opId = randomUUID();
    repo.transaction(() => {
      if (purpose !== 'deposit') repo.transition(parcel.id, purpose === 'pickup' ? 'pickup_started' : 'return_started', this.at());
      repo.insertDoorOp({ id: opId, parcelId: parcel.id, compartmentId: compartment.id, purpose, actor }, this.at());
      this.audit(compartment.id, parcel.id, 'open_intent', actor, reason);
    });
    this.o.changed();

    let opened = false;
    try {
      opened = (await controller.open(compartment.board, compartment.lock)).opened;
    } catch {
      // No answer from the board: the door may or may not have opened. Ask it once more
      // for the state; never send a second open.
      opened = await controller.isOpen(compartment.board, compartment.lock).catch(() => false);
    }
    repo.transaction(() => {
      if (opened) {
        this.setOp(opId, 'open');
        repo.transition(parcel.id, OPENING[purpose], this.at());
        this.audit(compartment.id, parcel.id, 'opened', actor, reason);
      } else {
        this.setOp(opId, 'jammed');
        repo.transition(parcel.id, 'door_jammed', this.at());
        this.audit(compartment.id, parcel.id, 'jammed', actor, reason);
        repo.markJammed(compartment.id, this.at());
        if (purpose !== 'deposit') this.o.events.enqueue({ type: 'flagged', parcelId: parcel.id, compartmentId: compartment.id, reason: 'door_jammed' });
      }
    });
    if (!opened && purpose !== 'deposit') this.o.alarm(compartment.id, 'jammed');
    this.o.changed();
    return lockerItem(this.parcel(parcel.id));
  }

  /** Restart: an intent without a result is settled by asking the door, never by opening it. */
  async recover(): Promise<void> {
    const { repo } = this.o;
    // A board that is silent now is asked again on the next start.
    for await (const { op, open } of this.doorsNow('intent')) {
      repo.transaction(() => {
        if (open) {
          this.setOp(op.id, 'open');
          repo.transition(op.parcel_id, 'door_opened', this.at());
          this.audit(op.compartment_id, op.parcel_id, 'found_open_after_restart', 'station', 'restart during an opening');
        } else {
          this.setOp(op.id, 'uncertain');
          repo.transition(op.parcel_id, 'restart_door_closed', this.at());
          this.audit(op.compartment_id, op.parcel_id, 'uncertain_after_restart', 'station', 'restart during an opening; door found closed');
          this.o.events.enqueue({ type: 'flagged', parcelId: op.parcel_id, compartmentId: op.compartment_id, reason: 'uncertain_after_restart' });
        }
      });
      if (!open) this.o.alarm(op.compartment_id, 'uncertain');
    }
    this.o.changed();
  }

  /** Checks every open door once: a closed one completes its operation, one open too long raises an alarm. */
  async poll(): Promise<void> {
    const { repo } = this.o;
    for await (const { op, open } of this.doorsNow('open')) {
      if (this.o.stopped()) continue;
      if (!open) this.closed(op);
      else if (!op.left_open_reported && this.o.now() - Date.parse(op.updated_at) >= this.o.leftOpenAfterMs) {
        repo.transaction(() => {
          repo.markLeftOpenReported(op.id);
          this.audit(op.compartment_id, op.parcel_id, 'left_open', 'station', 'door left open');
          this.o.events.enqueue({ type: 'door_left_open', parcelId: op.parcel_id, compartmentId: op.compartment_id });
        });
        this.o.alarm(op.compartment_id, 'left_open');
        this.o.changed();
      }
    }
  }

  /** The operations in `state`, each with what its door says now; one whose board does not answer is skipped. */
  private async *doorsNow(state: DoorOpState): AsyncGenerator<{ op: DoorOpRow; open: boolean }> {
    for (const op of this.o.repo.doorOps(state)) {
      const compartment = this.o.compartments.get(op.compartment_id);
      if (!compartment) continue;
      const open = await this.o.controller.isOpen(compartment.board, compartment.lock).catch(() => undefined);
      if (open !== undefined) yield { op, open };
    }
  }

  private closed(op: DoorOpRow): void {
    const { repo, events } = this.o;
    repo.transaction(() => {
      this.setOp(op.id, 'closed');
      const status = repo.transition(op.parcel_id, 'door_closed', this.at());
      this.audit(op.compartment_id, op.parcel_id, 'closed', 'station', `door closed after ${op.purpose}`);
      const parcel = this.parcel(op.parcel_id);
      if (status === 'deposited') {
        // The pickup code is made now: the item is in, and this station alone can open it.
        const code = newPickupCode();
        repo.setPickupCode(parcel.id, hmacHex(this.o.secret, `${parcel.id}:${code}`), this.at());
        events.enqueue({
          type: 'deposited',
          parcelId: parcel.id,
          compartmentId: parcel.compartment_id,
          size: parcel.size as CompartmentSize,
          caseNumber: parcel.case_number,
          pickupCode: code,
          ...(parcel.delegated_code ? { delegatedCode: parcel.delegated_code } : {}),
        });
      } else if (status === 'picked_up') {
        events.enqueue({ type: 'picked_up', parcelId: parcel.id, compartmentId: parcel.compartment_id, by: op.actor === 'citizen:residence-code' ? 'residence_code' : 'pickup_code_and_id_card' });
      } else if (status === 'returned') {
        events.enqueue({ type: 'returned', parcelId: parcel.id, compartmentId: parcel.compartment_id, staffId: op.actor.replace(/^staff:/, '') });
      }
    });
    this.o.changed();
  }

  private parcel(id: string): ParcelRow {
    const row = this.o.repo.parcel(id);
    if (!row) throw new Error(`parcel ${id} is not here`);
    return row;
  }

  private setOp(id: string, state: DoorOpState): void {
    this.o.repo.setDoorOpState(id, state, this.at());
  }

  private audit(compartmentId: string, parcelId: string, action: DoorAction, actor: string, reason: string): void {
    this.o.audit.append({ compartmentId, parcelId, action, actor, reason }, this.at());
  }

  private at(): string {
    return new Date(this.o.now()).toISOString();
  }
}
