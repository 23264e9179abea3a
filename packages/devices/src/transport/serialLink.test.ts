import { afterEach, describe, expect, it } from 'vitest';
import { nextEvent } from '../testing/ptyHarness';
import { PtyPair } from '../testing/ptyPair';
import { DeviceTimeoutError } from './errors';
import { FramedChannel } from './framedChannel';
import { lineParser } from './frameReader';
import { SerialLink } from './serialLink';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function setup(): Promise<{ pair: PtyPair; host: SerialLink; device: SerialLink }> {
  const pair = await PtyPair.open();
  const host = new SerialLink({ path: pair.hostPath, reopenIntervalMs: 30, presenceCheckMs: 25 });
  const device = new SerialLink({ path: pair.devicePath, reopenIntervalMs: 30, presenceCheckMs: 25 });
  cleanups.push(() => pair.close(), () => device.close(), () => host.close());
  host.start();
  device.start();
  await Promise.all([host.waitOpen(2000), device.waitOpen(2000)]);
  return { pair, host, device };
}

async function nextData(link: SerialLink): Promise<string> {
  const [chunk] = await nextEvent<[Buffer]>(link, 'data', 2000);
  return chunk.toString();
}

describe('SerialLink over a socat pty pair', () => {
  it('carries bytes both ways', async () => {
    const { host, device } = await setup();
    const received = nextData(device);
    await host.write(Buffer.from('ping'));
    expect(await received).toBe('ping');
  });

  it('reports the unplug, reopens after the replug and works again', async () => {
    const { pair, host, device } = await setup();
    const disconnected = new Promise<string>((resolve) => host.once('disconnect', resolve));
    const deviceGone = new Promise<string>((resolve) => device.once('disconnect', resolve));
    await pair.unplug();
    expect(await disconnected).toMatch(/closed|vanished|error/i);
    await deviceGone;
    expect(host.state).toBe('disconnected');
    await expect(host.write(Buffer.from('lost'))).rejects.toThrow(/not connected/);
    await pair.replug();
    await Promise.all([host.waitOpen(2000), device.waitOpen(2000)]);
    const received = nextData(device);
    await host.write(Buffer.from('back'));
    expect(await received).toBe('back');
  });

  it('keeps trying while the port is absent and times out waitOpen with the reason', async () => {
    const link = new SerialLink({ path: '/tmp/hall-no-such-port', reopenIntervalMs: 20 });
    cleanups.push(() => link.close());
    link.start();
    await expect(link.waitOpen(150)).rejects.toBeInstanceOf(DeviceTimeoutError);
    expect(['connecting', 'disconnected']).toContain(link.state);
  });
});

describe('FramedChannel', () => {
  it('times out a request the device never answers, then serves the next one', async () => {
    const { host, device } = await setup();
    const channel = new FramedChannel(host, lineParser());
    await expect(
      channel.request(Buffer.from('Q1\n'), { timeoutMs: 80, what: 'q1', accept: (f) => Buffer.from(f).toString() }),
    ).rejects.toThrow(/q1: no reply within 80 ms/);
    device.on('data', (chunk) => void device.write(Buffer.from(`R:${chunk.toString().trim()}\n`)));
    const reply = await channel.request(Buffer.from('Q2\n'), {
      timeoutMs: 1000,
      what: 'q2',
      accept: (f) => Buffer.from(f).toString(),
    });
    expect(reply).toBe('R:Q2');
  });

  it('reports a truncated frame after a silence and recovers', async () => {
    const { host, device } = await setup();
    const channel = new FramedChannel(host, lineParser(), { partialTimeoutMs: 50 });
    const error = new Promise<Error>((resolve) => channel.once('frameError', resolve));
    const frame = new Promise<Uint8Array>((resolve) => channel.once('frame', resolve));
    await device.write(Buffer.from('half-a-line'));
    expect((await error).message).toMatch(/incomplete frame of 11 byte/);
    await device.write(Buffer.from('whole\n'));
    expect(Buffer.from(await frame).toString()).toBe('whole');
  });
});
