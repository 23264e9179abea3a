import { OnbonCallScreen } from '../screen/onbonScreen';
import { OnbonScreenSimulator } from '../screen/simulator';
import type { DeviceCliEntry } from './registry';
import { withDriver } from './run';

export const screenCli: DeviceCliEntry = {
  name: 'screen',
  description: 'Call screens / counter signs on RS485 (Onbon BX protocol)',
  commands: {
    show: {
      usage: "--address N --text '…' [--encoding gb2312|gb18030] [--width PX --height PX]",
      run: (context) =>
        withDriver(
          context,
          (link) =>
            new OnbonCallScreen({
              link,
              timeoutMs: context.number('timeout', 1000),
              encoding: context.string('encoding', 'gb2312') === 'gb18030' ? 'gb18030' : 'gb2312',
              area: { width: context.number('width', 64), height: context.number('height', 16) },
            }),
          async (screen) => {
            const address = context.number('address');
            const text = context.string('text');
            await screen.show(address, text);
            context.print({ ok: true, address, text });
          },
        ),
    },
  },
  simulator: {
    usage: '[--addresses 1,2,3]   prints what each address shows',
    baudRate: 9600,
    start: async (context) => {
      const addresses = context.string('addresses', '1,2,3').split(',').map(Number);
      const sim = new OnbonScreenSimulator(context.link, addresses, {
        onShow: (address, area) => context.print({ event: 'shown', address, text: area.text }),
      });
      sim.start();
      return { close: () => sim.close() };
    },
  },
};
