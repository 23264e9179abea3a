import { errorJson, hostLink, numberOption, parseCliArgs, printJson, stringOption, UsageError } from './common';
import type { CommandContext } from './registry';
import { registry } from './registry';

function usage(): string {
  const lines = ['usage: hall-device <class> <command> --port PATH | --tcp HOST:PORT [options]', ''];
  for (const entry of registry.values()) {
    lines.push(`${entry.name}: ${entry.description}`);
    for (const [name, command] of Object.entries(entry.commands)) lines.push(`  hall-device ${entry.name} ${name} ${command.usage}`);
  }
  lines.push('', 'Prints one JSON object per result; exit code 1 on failure.');
  return lines.join('\n');
}

/** Runs one CLI invocation; resolves with the exit code. */
export async function main(argv: readonly string[], print: (result: object) => void = printJson): Promise<number> {
  const { positionals, options } = parseCliArgs(argv);
  const [className, commandName] = positionals;
  if (!className || options['help'] === true) {
    process.stderr.write(`${usage()}\n`);
    return className ? 0 : 2;
  }
  try {
    const entry = registry.get(className);
    if (!entry) throw new UsageError(`unknown device class ${className}; one of ${[...registry.keys()].join(', ')}`);
    const command = commandName ? entry.commands[commandName] : undefined;
    if (!command) throw new UsageError(`unknown command for ${className}; one of ${Object.keys(entry.commands).join(', ')}`);
    let failed = false;
    const context: CommandContext = {
      link: () => hostLink(options, entry.simulator?.baudRate ?? 9600),
      options,
      print,
      fail: () => {
        failed = true;
      },
      number: (name, fallback) => numberOption(options, name, fallback),
      string: (name, fallback) => stringOption(options, name, fallback),
    };
    await command.run(context);
    // process.exitCode: commands written before `fail()` existed.
    return failed ? 1 : typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    print(errorJson(error));
    return error instanceof UsageError ? 2 : 1;
  }
}
