import { HidCodeScanner, NodeHidSource } from '../scanner/hidScanner';
import { SerialCodeScanner } from '../scanner/serialScanner';
import { SerialScannerSimulator } from '../scanner/simulator';
import type { CodeScanner } from '../scanner/types';
import { collectScans } from '../scanner/types';
import { delay } from '../transport/timeout';
import { UsageError } from './common';
import type { DeviceCliEntry } from './registry';
import { withDriver } from './run';

export const scannerCli: DeviceCliEntry = {
  name: 'scanner',
  description: 'Code scanner in USB CDC / RS232 mode (line per scan)',
  commands: {
    listen: {
      usage:
        '--count N [--timeout MS] [--hid VID:PID --mode pos|wedge]   prints each scan; fails after MS without N scans (--hid reads a USB HID scanner instead of --port)',
      run: async (context) => {
        const listen = async (scanner: CodeScanner): Promise<void> => {
          const count = context.number('count', 1);
          const timeoutMs = context.number('timeout', 60_000);
          const done = collectScans(scanner, count, (scan) => context.print({ ok: true, scan }));
          const timeout = delay(timeoutMs).then(() => 'timeout' as const);
          if ((await Promise.race([done, timeout])) === 'timeout') {
            context.print({ ok: false, error: { code: 'timeout', message: `fewer than ${count} scans within ${timeoutMs} ms` } });
            context.fail();
          }
        };
        const hid = context.options['hid'];
        if (typeof hid !== 'string') {
          await withDriver(context, (link) => new SerialCodeScanner({ link }), listen);
          return;
        }
        const match = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(hid);
        if (!match) throw new UsageError('--hid must be VENDOR:PRODUCT in hex, e.g. 0c2e:0b61');
        const scanner = new HidCodeScanner({
          source: new NodeHidSource({ vendorId: parseInt(match[1] ?? '', 16), productId: parseInt(match[2] ?? '', 16) }),
          mode: context.string('mode', 'pos') === 'wedge' ? 'wedge' : 'pos',
        });
        scanner.on('typing', () => context.print({ ok: true, event: 'typing-ignored' }));
        const reported = new Set<string>();
        scanner.on('error', (error) => {
          if (reported.has(error.message)) return;
          reported.add(error.message);
          context.print({ ok: false, error: { code: error.code, message: error.message } });
        });
        scanner.start();
        try {
          await listen(scanner);
        } finally {
          await scanner.close();
        }
      },
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
