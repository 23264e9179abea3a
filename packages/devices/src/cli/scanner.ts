import { SerialCodeScanner } from '../scanner/serialScanner';
import { SerialScannerSimulator } from '../scanner/simulator';
import { collectScans } from '../scanner/types';
import { delay } from '../transport/timeout';
import type { DeviceCliEntry } from './registry';
import { withDriver } from './run';

export const scannerCli: DeviceCliEntry = {
  name: 'scanner',
  description: 'Code scanner in USB CDC / RS232 mode (line per scan)',
  commands: {
    listen: {
      usage: '--count N [--timeout MS]   prints each scan; fails after MS without N scans',
      run: (context) =>
        withDriver(
          context,
          (link) => new SerialCodeScanner({ link }),
          async (scanner) => {
            const count = context.number('count', 1);
            const timeoutMs = context.number('timeout', 60_000);
            const done = collectScans(scanner, count, (scan) => context.print({ ok: true, scan }));
            const timeout = delay(timeoutMs).then(() => 'timeout' as const);
            if ((await Promise.race([done, timeout])) === 'timeout') {
              context.print({ ok: false, error: { code: 'timeout', message: `fewer than ${count} scans within ${timeoutMs} ms` } });
              context.fail();
            }
          },
        ),
    },
  },
  simulator: {
    usage: '[--codes A,B,C] [--interval MS]   sends the codes once the driver is connected; stdin lines are scanned too',
    baudRate: 9600,
    start: async (context) => {
      const sim = new SerialScannerSimulator(context.link);
      const codes = context.string('codes', '').split(',').filter(Boolean);
      const interval = context.number('interval', 200);
      const send = async (code: string): Promise<void> => {
        await sim.scan(code);
        context.print({ event: 'scanned', code });
      };
      context.link.once('open', () => {
        void (async () => {
          for (const code of codes) {
            await delay(interval);
            await send(code).catch((error: unknown) => context.print({ event: 'error', message: String(error) }));
          }
        })();
      });
      process.stdin.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n').map((l) => l.trim()).filter(Boolean)) void send(line).catch(() => undefined);
      });
      sim.start();
      return { close: () => sim.close() };
    },
  },
};
