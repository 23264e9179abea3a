import type { DeviceHealth } from '../health';
import type { DeviceError } from '../transport/errors';
import type { TypedEmitter } from '../transport/typedEmitter';
import type { WltPhoto } from './photo';
import type { IdDocument } from './text';

export interface IdCardRead {
  document: IdDocument;
  /** Opaque WLT bytes; prints and serialises as redacted. */
  photo: WltPhoto;
}

export type IdCardReaderEvents = {
  /** Once per card placed on the reader (not again while it lies there). */
  card: [read: IdCardRead];
  /** The card that produced the last `card` event is gone. */
  removed: [];
  /** A failed read, a timeout, a corrupt frame; the reader keeps going. */
  error: [error: DeviceError];
  health: [health: DeviceHealth];
};

export interface IdCardReader extends Pick<TypedEmitter<IdCardReaderEvents>, 'on' | 'off' | 'once'> {
  /** Opens the port (and keeps reopening it after an unplug). */
  start(): void;
  /** One find/select/read cycle; undefined when no card lies on the reader. */
  read(): Promise<IdCardRead | undefined>;
  startPolling(intervalMs?: number): void;
  stopPolling(): void;
  readonly health: DeviceHealth;
  close(): Promise<void>;
}
