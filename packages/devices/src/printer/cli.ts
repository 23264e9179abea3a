import { writeFileSync } from 'node:fs';
import type { CommandContext, DeviceCliEntry } from '../cli/registry';
import { ZodError } from 'zod';
import { UsageError } from '../cli/common';
import { withDriver } from '../cli/run';
import type { ByteLink } from '../transport/link';
import type { PrinterCondition } from './status';
import { EscPosPrinter } from './driver';
import { sampleTicket } from './fixtures';
import type { RenderedSlip, TicketSlip } from './layout/ticket';
import { renderTicket } from './layout/ticket';
import type { PrintedJob } from './sim/printerModel';
import { PrinterSimulator } from './sim/printerSimulator';
import { UsbLpLink } from './usbLpLink';

/** --usb /dev/usb/lp0 in addition to the common --port / --tcp. */
function withUsb(context: CommandContext): CommandContext {
  const usb = context.options['usb'];
  return typeof usb === 'string' ? { ...context, link: () => new UsbLpLink({ path: usb, reopenIntervalMs: 200 }) } : context;
}

function printer(context: CommandContext): (link: ByteLink) => EscPosPrinter {
  return (link) => new EscPosPrinter(link, { statusTimeoutMs: context.number('timeout', 1000), openTimeoutMs: 1000 });
}

function ticketFromOptions(context: CommandContext): TicketSlip {
  const { options } = context;
  const number = context.string('number');
  return {
    hallName: context.string('hall', sampleTicket.hallName),
    number,
    services: context.string('service').split(/[,，]/).filter(Boolean),
    ahead: context.number('ahead', 0),
    ...(options['wait'] !== undefined ? { estimatedWaitMinutes: context.number('wait') } : {}),
    issuedAt: new Date().toISOString(),
    followUrl: context.string('url', `https://hall.example/q/${number}`),
    english: options['english'] === true,
    paper: context.string('paper', '80mm') === '58mm' ? '58mm' : '80mm',
  };
}

/** What a technician wants to see of a printed slip, without the styling noise. */
function jobSummary(job: PrintedJob): object {
  return {
    lines: job.items.flatMap((i) => (i.type === 'text' ? [i.width > 1 ? `${i.text} (${i.width}x)` : i.text] : [])),
    qr: job.items.flatMap((i) => (i.type === 'qr' ? [i.payload] : [])),
    cut: job.cut,
  };
}

const CONDITION_COMMANDS: Record<string, Partial<PrinterCondition>> = {
  'paper-out': { paperOut: true },
  'paper-in': { paperOut: false, paperNearEnd: false },
  'near-end': { paperNearEnd: true },
  'cover-open': { coverOpen: true },
  'cover-close': { coverOpen: false },
  offline: { offline: true },
  online: { offline: false },
  'cutter-error': { autocutterError: true },
  'cutter-ok': { autocutterError: false },
};

export const printerCli: DeviceCliEntry = {
  name: 'printer',
  description: 'Thermal ticket printer, ESC/POS (serial --port, network --tcp HOST:9100, USB --usb /dev/usb/lpN)',
  commands: {
    ticket: {
      usage:
        '--number A023 --service 户籍证明[,居住证] [--ahead N] [--wait MIN] [--hall NAME] [--url URL] [--english] [--paper 58mm|80mm] [--svg FILE] [--usb PATH]',
      run: async (context) => {
        // Validate and render before touching the printer: bad input is a usage error.
        const ticket = ticketFromOptions(context);
        let rendered: RenderedSlip;
        try {
          rendered = renderTicket(ticket);
        } catch (error) {
          if (error instanceof ZodError) {
            throw new UsageError(`invalid ticket: ${error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
          }
          throw error;
        }
        const svgPath = context.options['svg'];
        if (typeof svgPath === 'string') writeFileSync(svgPath, rendered.preview);
        await withDriver(withUsb(context), printer(context), async (driver) => {
          const result = await driver.print(rendered);
          if (result.ok) {
            context.print({ ok: true, number: ticket.number, bytes: result.bytes, health: result.health });
          } else {
            context.print({ ok: false, number: ticket.number, error: result.error, partial: result.partial });
            process.exitCode = 1;
          }
        });
      },
    },
    status: {
      usage: '[--timeout MS] [--usb PATH]   DLE EOT 1-4 → health (ok, paper-near-end, paper-out, cover-open, offline, error)',
      run: (context) =>
        withDriver(withUsb(context), printer(context), async (driver) => {
          const result = await driver.status();
          context.print(result);
          if (!result.ok || !result.health.canPrint) process.exitCode = 1;
        }),
    },
  },
  simulator: {
    usage: `[--record FILE.json] [--paper-out] [--near-end] [--cover-open] [--paper-lines N]   stdin: ${Object.keys(CONDITION_COMMANDS).join(' | ')} | record`,
    baudRate: 9600,
    start: async (context) => {
      const recordPath = context.options['record'];
      const sim = new PrinterSimulator(context.link, {
        condition: {
          paperOut: context.options['paper-out'] === true,
          paperNearEnd: context.options['near-end'] === true,
          coverOpen: context.options['cover-open'] === true,
        },
        ...(typeof recordPath === 'string' ? { recordPath } : {}),
        ...(context.options['paper-lines'] !== undefined ? { paperLines: context.number('paper-lines') } : {}),
      });
      sim.on('job', (record) => {
        const job = record.jobs.at(-1);
        if (job) context.print({ event: 'printed', ...jobSummary(job) });
      });
      process.stdin.on('data', (chunk: Buffer) => {
        for (const word of chunk.toString().split(/\s+/).filter(Boolean)) {
          const patch = CONDITION_COMMANDS[word];
          if (word === 'paper-in') {
            sim.model.loadPaper();
            context.print({ event: 'condition', condition: sim.model.condition });
          } else if (patch) {
            sim.setCondition(patch);
            context.print({ event: 'condition', condition: sim.model.condition });
          } else if (word === 'record') context.print({ event: 'record', record: sim.record });
          else context.print({ event: 'error', message: `unknown command ${word}` });
        }
      });
      sim.start();
      return { close: () => sim.close() };
    },
  },
};
