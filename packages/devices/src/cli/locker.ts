import { Board8aController } from '../locker/board8a';
import type { BusLockerController } from '../locker/controller';
import { KerongCuController } from '../locker/kerongCu';
import type { Board8aOptions } from '../locker/protocol8a';
import type { LockProtocolChoice } from '../locker/simulator';
import { LockBusSimulator } from '../locker/simulator';
import type { ByteLink } from '../transport/link';
import { UsageError } from './common';
import type { CliOptions, CommandContext, DeviceCliEntry } from './registry';
import { withDriver } from './run';

const PROTOCOL_USAGE = '[--protocol 8a80|kerong] [--polarity closed-is-set|open-is-set] [--bitmap-bytes N] [--bitmap-order high-first|low-first] [--channels 16|48]';

function board8a(options: CliOptions): Partial<Board8aOptions> {
  const out: Partial<Board8aOptions> = {};
  const polarity = options['polarity'];
  if (polarity === 'closed-is-set' || polarity === 'open-is-set') out.polarity = polarity;
  const order = options['bitmap-order'];
  if (order === 'high-first' || order === 'low-first') out.bitmapOrder = order;
  if (typeof options['bitmap-bytes'] === 'string') out.bitmapBytes = Number(options['bitmap-bytes']);
  return out;
}

function channels(options: CliOptions): 16 | 48 {
  return options['channels'] === '48' ? 48 : 16;
}

function controller(context: CommandContext, link: ByteLink): BusLockerController {
  const protocol = context.string('protocol', '8a80');
  const timeoutMs = context.number('timeout', 500);
  if (protocol === 'kerong') return new KerongCuController({ link, timeoutMs, channels: channels(context.options) });
  if (protocol === '8a80') return new Board8aController({ link, timeoutMs, board: board8a(context.options) });
  throw new UsageError(`unknown --protocol ${protocol}`);
}

export const lockerCli: DeviceCliEntry = {
  name: 'locker',
  description: 'Locker lock boards on RS485 (8A/80 boards, Kerong KR-CU)',
  commands: {
    open: {
      usage: `--board N --lock N ${PROTOCOL_USAGE}`,
      run: (context) =>
        withDriver(
          context,
          (link) => controller(context, link),
          async (locker) => {
            const result = await locker.open(context.number('board'), context.number('lock'));
            context.print({ ok: result.opened, result });
            if (!result.opened) context.fail();
          },
        ),
    },
    status: {
      usage: `--board N ${PROTOCOL_USAGE}`,
      run: (context) =>
        withDriver(
          context,
          (link) => controller(context, link),
          async (locker) => {
            const board = context.number('board');
            const doors = await locker.status(board);
            context.print({ ok: true, board, open: doors.filter((d) => d.open).map((d) => d.lock), locks: doors.length });
          },
        ),
    },
  },
  simulator: {
    usage: `[--boards 1,2] [--locks N] [--jam BOARD:LOCK] ${PROTOCOL_USAGE}   stdin: "close B L", "jam B L"`,
    baudRate: 9600,
    start: async (context) => {
      const kind = context.string('protocol', '8a80');
      const protocol: LockProtocolChoice =
        kind === 'kerong' ? { kind: 'kerong', channels: channels(context.options) } : { kind: '8a80', options: board8a(context.options) };
      const locks = context.number('locks', kind === 'kerong' ? channels(context.options) : 24);
      const boards = Object.fromEntries(context.string('boards', '1').split(',').map((b) => [Number(b), locks]));
      const sim = new LockBusSimulator(context.link, { protocol, boards });
      for (const jam of context.string('jam', '').split(',').filter(Boolean)) {
        const [b, l] = jam.split(':').map(Number);
        sim.jam(b ?? 0, l ?? 0);
      }
      sim.on('request', (frame) => context.print({ event: 'request', bytes: Buffer.from(frame).toString('hex') }));
      process.stdin.on('data', (chunk: Buffer) => {
        const [verb, b, l] = chunk.toString().trim().split(/\s+/);
        try {
          if (verb === 'close') sim.closeDoor(Number(b), Number(l));
          if (verb === 'jam') sim.jam(Number(b), Number(l));
          context.print({ event: verb ?? '', board: Number(b), lock: Number(l) });
        } catch (error) {
          context.print({ event: 'error', message: String(error) });
        }
      });
      sim.start();
      return { close: () => sim.close() };
    },
  },
};
