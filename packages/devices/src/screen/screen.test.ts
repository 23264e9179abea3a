import { afterEach, describe, expect, it } from 'vitest';
import type { PtyHarness } from '../testing/ptyHarness';
import { openPtyHarness, waitFor } from '../testing/ptyHarness';
import type { DeviceError } from '../transport/errors';
import { OnbonCallScreen } from './onbonScreen';
import { OnbonScreenSimulator } from './simulator';
import { screenTexts } from './types';

let harness: PtyHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function setup(): Promise<{ screen: OnbonCallScreen; sim: OnbonScreenSimulator; h: PtyHarness }> {
  const h = await openPtyHarness({ baudRate: 9600 });
  harness = h;
  const sim = new OnbonScreenSimulator(h.device, [1, 2, 3]);
  const screen = new OnbonCallScreen({ link: h.host, timeoutMs: 200 });
  sim.start();
  screen.start();
  await Promise.all([h.host.waitOpen(2000), h.device.waitOpen(2000)]);
  return { screen, sim, h };
}

describe('OnbonCallScreen ↔ simulator over a pty', () => {
  it('shows the called number, serving and paused on the addressed signs only', async () => {
    const { screen, sim } = await setup();
    await screen.show(3, screenTexts.called('A023', 3));
    await screen.show(1, screenTexts.serving());
    await screen.show(2, screenTexts.paused());
    expect(sim.textAt(3)).toBe('请A023号到3号窗口');
    expect(sim.textAt(1)).toBe('为您服务');
    expect(sim.textAt(2)).toBe('暂停服务');
  });

  it('rejects unencodable text before touching the bus', async () => {
    const { screen, sim } = await setup();
    await expect(screen.show(1, '😀')).rejects.toThrow(/outside GB2312/);
    expect(sim.requestCount).toBe(0);
  });

  it('times out for an address with no sign and marks it in health', async () => {
    const { screen } = await setup();
    await expect(screen.show(9, '为您服务')).rejects.toThrow(/screen 9: no reply within 200 ms/);
    expect(screen.health.issues.map((i) => i.code)).toEqual(['screen-9-no-response']);
  });

  it.each(['corrupt', 'truncated', 'garbage-only'] as const)('recovers after a %s reply', async (fault) => {
    const { screen, sim } = await setup();
    const errors: DeviceError[] = [];
    screen.on('error', (e) => errors.push(e));
    sim.injectFault(fault);
    await expect(screen.show(1, 'A001')).rejects.toThrow(/no reply/);
    await waitFor(() => errors.length > 0, 1000, 'frame error');
    await screen.show(1, 'A002');
    expect(sim.textAt(1)).toBe('A002');
  });

  it('survives unplug and replug', async () => {
    const { screen, sim, h } = await setup();
    await h.unplug();
    await expect(screen.show(1, 'A003')).rejects.toThrow(/not connected/);
    await h.replug();
    await screen.show(1, 'A004');
    expect(sim.textAt(1)).toBe('A004');
  });
});
