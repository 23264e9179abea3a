import type { DeviceHealth } from '../health';
import type { DeviceError } from '../transport/errors';
import type { TypedEmitter } from '../transport/typedEmitter';

/** One compartment: `board` is the RS485 address, `lock` counts from 1. */
export interface LockAddress {
  board: number;
  lock: number;
}

export interface DoorState extends LockAddress {
  /** True while the door is open (lock tongue released / door sensor open). */
  open: boolean;
}

export interface OpenResult extends LockAddress {
  /** The board reports the door open after the command; false means jammed. */
  opened: boolean;
}

export type LockerEvents = {
  /** A door changed state (monitoring mode). */
  door: [state: DoorState];
  /** A door stayed open longer than `leftOpenAfterMs` (monitoring mode). */
  doorLeftOpen: [address: LockAddress];
  error: [error: DeviceError];
  health: [health: DeviceHealth];
};

export interface LockerController extends Pick<TypedEmitter<LockerEvents>, 'on' | 'off' | 'once'> {
  start(): void;
  open(board: number, lock: number): Promise<OpenResult>;
  /** Opens several compartments one after another on the shared bus. */
  openMany(board: number, locks: readonly number[]): Promise<OpenResult[]>;
  isOpen(board: number, lock: number): Promise<boolean>;
  /** Door states of every lock on a board, lock 1 first. */
  status(board: number): Promise<DoorState[]>;
  /** Polls the given boards and reports door changes and doors left open. */
  startMonitoring(boards: readonly number[], options?: { intervalMs?: number; leftOpenAfterMs?: number }): void;
  stopMonitoring(): void;
  readonly health: DeviceHealth;
  close(): Promise<void>;
}
