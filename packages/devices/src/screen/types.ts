import type { DeviceHealth } from '../health';
import type { DeviceError } from '../transport/errors';
import type { TypedEmitter } from '../transport/typedEmitter';

export type CallScreenEvents = {
  error: [error: DeviceError];
  health: [health: DeviceHealth];
};

/** A strip screen or counter sign on an RS485 bus, by address. */
export interface CallScreen extends Pick<TypedEmitter<CallScreenEvents>, 'on' | 'off' | 'once'> {
  start(): void;
  /** Shows `text` on the screen at `address`; resolves when the screen confirms. */
  show(address: number, text: string): Promise<void>;
  readonly health: DeviceHealth;
  close(): Promise<void>;
}

/** The texts a hall shows, in one place so every screen says the same thing. */
export const screenTexts = {
  called: (ticketNumber: string, counterNumber: string | number): string => `请${ticketNumber}号到${counterNumber}号窗口`,
  serving: (): string => '为您服务',
  paused: (): string => '暂停服务',
};
