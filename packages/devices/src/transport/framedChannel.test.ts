import { afterEach, describe, expect, it } from 'vitest';
import { DeviceTimeoutError } from './errors';
import { FramedChannel } from './framedChannel';
import type { FrameParser } from './frameReader';
import type { ByteLink, LinkEvents, LinkState } from './link';
import { TypedEmitter } from './typedEmitter';

/** A link whose writes complete only when the test says so: a stalled USB-serial adapter. */
class StalledLink extends TypedEmitter<LinkEvents> implements ByteLink {
  readonly state: LinkState = 'open';
  readonly description = 'stalled test link';
  releaseWrite: (() => void) | undefined;
  start(): void {}
  async waitOpen(): Promise<void> {}
  write(): Promise<void> {
    return new Promise((resolve) => {
      this.releaseWrite = resolve;
    });
  }
  async close(): Promise<void> {}
  receive(bytes: number[]): void {
    this.emit('data', Buffer.from(bytes));
  }
}

const anyByte: FrameParser<number> = (bytes) =>
  bytes.length === 0 ? { kind: 'incomplete' } : { kind: 'frame', frame: bytes[0]!, length: 1 };

describe('FramedChannel', () => {
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);
  afterEach(() => {
    process.off('unhandledRejection', record);
    unhandled.length = 0;
  });

  it('times out a request whose write outlives the timeout without an unhandled rejection', async () => {
    process.on('unhandledRejection', record);
    const link = new StalledLink();
    const channel = new FramedChannel(link, anyByte);
    const request = channel.request(Uint8Array.of(1), { what: 'stalled write', timeoutMs: 20, accept: (frame) => frame });
    const outcome = request.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    // Let the timer fire while the write is still pending, and let Node look for unhandled rejections.
    await new Promise((resolve) => setTimeout(resolve, 60));
    await new Promise((resolve) => setImmediate(resolve));
    link.releaseWrite?.();
    expect(await outcome).toBeInstanceOf(DeviceTimeoutError);
    await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
  });

  it('answers the request with the frame it accepts', async () => {
    const link = new StalledLink();
    const channel = new FramedChannel(link, anyByte);
    const request = channel.request(Uint8Array.of(1), { what: 'echo', timeoutMs: 1000, accept: (frame) => (frame === 7 ? 'seven' : undefined) });
    await new Promise((resolve) => setImmediate(resolve));
    link.releaseWrite?.();
    link.receive([3, 7]);
    expect(await request).toBe('seven');
  });
});
