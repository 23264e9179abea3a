/** Base class so callers can tell device failures from programming errors. */
export class DeviceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class DeviceTimeoutError extends DeviceError {
  constructor(what: string, ms: number, outcome = 'no reply') {
    super('timeout', `${what}: ${outcome} within ${ms} ms`);
  }
}

export class DeviceDisconnectedError extends DeviceError {
  constructor(what: string) {
    super('disconnected', `${what}: device is not connected`);
  }
}

export type FrameErrorKind = 'junk' | 'checksum' | 'truncated' | 'malformed';

/** A byte sequence that was not a valid frame; the reader drops it and carries on. */
export class FrameError extends DeviceError {
  constructor(
    readonly kind: FrameErrorKind,
    message: string,
    readonly byteCount: number,
  ) {
    super(`frame-${kind}`, message);
  }
}

/** The device answered, but with a status meaning "cannot do that". */
export class DeviceStatusError extends DeviceError {
  constructor(
    code: string,
    message: string,
    readonly status?: number,
  ) {
    super(code, message);
  }
}

/** Wraps anything thrown by I/O into a DeviceError for `error` events. */
export function asDeviceError(error: unknown): DeviceError {
  if (error instanceof DeviceError) return error;
  return new DeviceError('io', error instanceof Error ? error.message : String(error));
}
