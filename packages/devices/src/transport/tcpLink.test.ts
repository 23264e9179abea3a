import { afterEach, describe, expect, it } from 'vitest';
import { nextEvent } from '../testing/ptyHarness';
import { OnbonCallScreen } from '../screen/onbonScreen';
import { OnbonScreenSimulator } from '../screen/simulator';
import { TcpLink, TcpServerLink } from './tcpLink';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

describe('TCP links (network devices and `sim --tcp`)', () => {
  it('runs a driver against a simulator over TCP and reconnects after the device restarts', async () => {
    const server = new TcpServerLink({ port: 0 });
    const port = await server.listen();
    const sim = new OnbonScreenSimulator(server, [1]);
    sim.start();
    const host = new TcpLink({ host: '127.0.0.1', port, reopenIntervalMs: 20 });
    const screen = new OnbonCallScreen({ link: host, timeoutMs: 500 });
    closers.push(() => screen.close());
    screen.start();
    await host.waitOpen(2000);
    await screen.show(1, '为您服务');
    expect(sim.textAt(1)).toBe('为您服务');

    const lost = nextEvent(host, 'disconnect');
    await sim.close();
    await lost;
    expect(screen.health.connected).toBe(false);

    const again = new TcpServerLink({ port });
    await again.listen();
    const sim2 = new OnbonScreenSimulator(again, [1]);
    closers.push(() => sim2.close());
    sim2.start();
    await host.waitOpen(2000);
    await screen.show(1, '暂停服务');
    expect(sim2.textAt(1)).toBe('暂停服务');
  });

  it('times out waitOpen when nothing listens', async () => {
    const host = new TcpLink({ host: '127.0.0.1', port: 1, reopenIntervalMs: 20 });
    closers.push(() => host.close());
    host.start();
    await expect(host.waitOpen(150)).rejects.toThrow(/not open within 150 ms/);
  });
});
