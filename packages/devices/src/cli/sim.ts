import type { ByteLink } from '../transport/link';
import { SerialLink } from '../transport/serialLink';
import { TcpServerLink } from '../transport/tcpLink';
import { PtyPair } from '../testing/ptyPair';
import { errorJson, numberOption, parseCliArgs, printJson, stringOption, UsageError } from './common';
import { registry } from './registry';

function usage(): string {
  const lines = ['usage: npm run sim -- <device> [--port PATH | --tcp PORT] [options]', ''];
  for (const entry of registry.values()) {
    if (entry.simulator) lines.push(`  ${entry.name} ${entry.simulator.usage}`);
  }
  lines.push('', 'Without --port or --tcp a pty pair is created; the "ready" line names the port the driver opens.');
  return lines.join('\n');
}

async function main(argv: readonly string[]): Promise<void> {
  const { positionals, options } = parseCliArgs(argv);
  const [name] = positionals;
  const entry = name ? registry.get(name) : undefined;
  if (!entry?.simulator) {
    process.stderr.write(`${usage()}\n`);
    process.exitCode = 2;
    return;
  }
  let link: ByteLink;
  let pair: PtyPair | undefined;
  const ready: Record<string, unknown> = { event: 'ready', device: entry.name };
  if (typeof options['port'] === 'string') {
    link = new SerialLink({ path: options['port'], baudRate: numberOption(options, 'baud', entry.simulator.baudRate ?? 9600) });
    ready['port'] = options['port'];
  } else if (typeof options['tcp'] === 'string') {
    const server = new TcpServerLink({ port: numberOption(options, 'tcp'), host: stringOption(options, 'host', '127.0.0.1') });
    ready['tcp'] = await server.listen();
    link = server;
  } else {
    pair = await PtyPair.open();
    link = new SerialLink({ path: pair.devicePath, baudRate: 115200, reopenIntervalMs: 200 });
    ready['port'] = pair.hostPath;
  }
  const running = await entry.simulator.start({
    link,
    options,
    print: printJson,
    number: (n, fallback) => numberOption(options, n, fallback),
    string: (n, fallback) => stringOption(options, n, fallback),
  });
  printJson(ready);
  const stop = async (): Promise<void> => {
    await running.close();
    await pair?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main(process.argv.slice(2)).catch((error: unknown) => {
  printJson(errorJson(error));
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
