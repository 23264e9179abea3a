import { fileURLToPath } from 'node:url';
import { loadCardFile } from '../idcard/cardFile';
import { maskDocument } from '../idcard/mask';
import { SamIdCardReader } from '../idcard/samReader';
import { IdCardSimulator } from '../idcard/simulator';
import type { DeviceCliEntry } from './registry';
import { withDriver } from './run';

const EXAMPLE_CARD = fileURLToPath(new URL('../idcard/example-card.json', import.meta.url));

export const idcardCli: DeviceCliEntry = {
  name: 'idcard',
  description: 'ID-card reader (GA 467 SAM serial protocol)',
  commands: {
    read: {
      usage: '[--timeout MS] [--unmasked]   one find/select/read; prints the card (masked unless --unmasked)',
      run: (context) =>
        withDriver(
          context,
          (link) => new SamIdCardReader({ link, timeoutMs: context.number('timeout', 3000) }),
          async (reader) => {
            const read = await reader.read();
            if (!read) {
              context.print({ ok: true, card: null });
              return;
            }
            const card = context.options['unmasked'] === true ? read.document : maskDocument(read.document);
            context.print({ ok: true, card, photoBytes: read.photo.length });
          },
        ),
    },
  },
  simulator: {
    usage: '[--card FILE.json] [--empty]   stdin: "place" / "remove"',
    baudRate: 115200,
    start: async (context) => {
      const card = loadCardFile(context.string('card', EXAMPLE_CARD));
      const sim = new IdCardSimulator(context.link, context.options['empty'] === true ? undefined : card);
      sim.on('request', (body) => context.print({ event: 'request', command: Buffer.from(body.subarray(0, 2)).toString('hex') }));
      process.stdin.on('data', (chunk: Buffer) => {
        const line = chunk.toString().trim();
        if (line === 'place') sim.placeCard(card);
        if (line === 'remove') sim.removeCard();
        if (line === 'place' || line === 'remove') context.print({ event: line });
      });
      sim.start();
      return { close: () => sim.close() };
    },
  },
};
