import type { TypedEmitter } from './typedEmitter';

export type LinkState = 'idle' | 'connecting' | 'open' | 'disconnected' | 'closed';

export type LinkEvents = {
  open: [];
  /** The link went away (unplugged, peer closed); it keeps trying to come back. */
  disconnect: [reason: string];
  data: [chunk: Buffer];
  error: [error: Error];
};

/**
 * A byte pipe to one device (serial port, TCP socket). Drivers and simulators are
 * written against this, so the same driver runs over a pty, RS485 adapter or TCP.
 * Implementations reconnect by themselves after an unplug until `close()`.
 */
export interface ByteLink extends Pick<TypedEmitter<LinkEvents>, 'on' | 'off' | 'once'> {
  readonly state: LinkState;
  readonly description: string;
  /** Starts connecting (and reconnecting); never throws for an absent device. */
  start(): void;
  /** Resolves once open; rejects with DeviceTimeoutError after `timeoutMs`. */
  waitOpen(timeoutMs: number): Promise<void>;
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}
