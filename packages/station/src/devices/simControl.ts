import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { makeTestIdNumber, tokenFromFragment } from '@hall/shared';
import type { LockBusSimulator, OnbonScreenSimulator } from '@hall/devices';
import type { AnnouncementClip } from '@hall/shared';
import { testResidentCard } from '@hall/devices/testing';
import { printedJobToSlip, slipToSvg } from '@hall/devices';
import type { DeviceSimulators } from './manager';
import { tokenMatches } from '../host/access';
import type { StationEnvironment } from '../config/environment';

/**
 * The hands of a simulated station: places test ID cards, scans codes, opens the printer
 * cover, shows the printed slips, pushes locker doors shut. Loopback only and started only
 * when a device is simulated, so a demo (or a test) can act like a citizen or a clerk at
 * the station. Cards are generated test documents.
 *
 * Every request needs `authorization: Bearer <station token>`: another local program or
 * web page must not drive the station through its simulators either, and a browser cannot
 * send that header cross-origin without a CORS preflight, which this server never grants.
 */
const PlaceCardSchema = z
  .object({
    birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).default('1990-01-01'),
    sex: z.enum(['male', 'female']).default('female'),
    name: z.string().min(2).max(15).default('测试样例人'),
    sequence: z.number().int().min(1).max(999).default(1),
  })
  .strict();
const ScanSchema = z.object({ code: z.string().min(1).max(2000) }).strict();
const ConditionSchema = z
  .object({ paperOut: z.boolean(), coverOpen: z.boolean(), offline: z.boolean(), paperNearEnd: z.boolean() })
  .partial()
  .strict();
const LockSchema = z.object({ board: z.number().int().min(0).max(255), lock: z.number().int().min(1).max(255) }).strict();
const JamSchema = LockSchema.extend({ jammed: z.boolean() }).strict();

/** A station's simulated devices: the device manager's, a locker's lock boards, a display's signs and voice. */
export interface StationSimulators extends DeviceSimulators {
  lockBus?: LockBusSimulator;
  /** The LED strip and counter signs on the display's bus, with what each is (by bus address). */
  callScreens?: { simulator: OnbonScreenSimulator; names: Readonly<Record<number, string>> };
  /** The wall's newest announcement (its words, and its sound once made). */
  voice?: { last(): { text: string; clip?: AnnouncementClip } | undefined };
  /** A counter's page scanner when it is SANE's test device: one page as the counter would capture it. */
  documentCamera?: { testPage(): Promise<{ mime: string; bytes: Uint8Array }> };
}

export interface SimControl {
  url: string;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > 10_000) throw new Error('body too large');
  }
  return text === '' ? {} : JSON.parse(text);
}

function send(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(value));
}

function signsShowing(screens: NonNullable<StationSimulators['callScreens']>): { address: number; name: string; text: string | null }[] {
  return Object.entries(screens.names).map(([address, name]) => ({ address: Number(address), name, text: screens.simulator.textAt(Number(address)) ?? null }));
}

function announcementOf(last: { text: string; clip?: AnnouncementClip } | undefined): { text: string; hasSound: boolean } | null {
  return last ? { text: last.text, hasSound: last.clip !== undefined } : null;
}

/** Slips shown on a demo panel: the latest few are enough, and an SVG is some tens of kB. */
const SLIPS_SHOWN = 12;

export async function startSimControl(simulators: StationSimulators, token: string, port = 0): Promise<SimControl> {
  // When each slip's cut reached the simulated printer (ms since epoch): what the benchmark times.
  const jobTimes: number[] = [];
  simulators.printer?.on('job', () => jobTimes.push(Date.now()));
  // The card on the reader, by what the panel may show: age and sex, never the number.
  let card: { birthDate: string; sex: 'male' | 'female' } | undefined;
  const lockOf = (value: unknown) => {
    if (!simulators.lockBus) throw new Error('no simulated lock boards');
    const { board, lock } = LockSchema.parse(value);
    if (!simulators.lockBus.locks().some((l) => l.board === board && l.lock === lock)) throw new Error(`no lock ${lock} on board ${board}`);
    return { board, lock, bus: simulators.lockBus };
  };
  const server = createServer((req, res) => {
    void (async () => {
      const route = `${req.method ?? 'GET'} ${new URL(req.url ?? '/', 'http://local').pathname}`;
      const bearer = (req.headers.authorization ?? '').match(/^Bearer (\S+)$/)?.[1];
      if (!tokenMatches(token, bearer)) return send(res, 401, { error: 'station token missing or wrong' });
      try {
        switch (route) {
          case 'GET /devices': {
            const printer = simulators.printer?.record;
            return send(res, 200, {
              ...(simulators.idCard ? { idCard: { card: card ?? null } } : {}),
              ...(simulators.scanner ? { scanner: {} } : {}),
              ...(printer ? { printer: { condition: printer.condition, printed: printer.jobs.length } } : {}),
              ...(simulators.lockBus ? { locks: simulators.lockBus.locks() } : {}),
              ...(simulators.callScreens ? { signs: signsShowing(simulators.callScreens) } : {}),
              ...(simulators.voice ? { announcement: announcementOf(simulators.voice.last()) } : {}),
              ...(simulators.documentCamera ? { documentCamera: {} } : {}),
            });
          }
          case 'GET /camera/test-page': {
            if (!simulators.documentCamera) return send(res, 404, { error: 'no simulated document camera' });
            const page = await simulators.documentCamera.testPage();
            return send(res, 200, { mime: page.mime, base64: Buffer.from(page.bytes).toString('base64') });
          }
          case 'POST /idcard': {
            if (!simulators.idCard) return send(res, 404, { error: 'no simulated ID-card reader' });
            const placed = PlaceCardSchema.parse(await body(req));
            const idNumber = makeTestIdNumber({ regionCode: '441502', birthDate: placed.birthDate, sex: placed.sex, sequence: placed.sequence });
            simulators.idCard.placeCard({
              document: testResidentCard({
                name: placed.name,
                birthDate: placed.birthDate,
                sexCode: placed.sex === 'male' ? '1' : '2',
                sex: placed.sex === 'male' ? '男' : '女',
                idNumber,
              }),
            });
            card = { birthDate: placed.birthDate, sex: placed.sex };
            // The test needs the number to type it or check masking; it is a generated test number.
            return send(res, 200, { placed: true, idNumber });
          }
          case 'DELETE /idcard':
            simulators.idCard?.removeCard();
            card = undefined;
            return send(res, 200, { removed: true });
          case 'POST /scan': {
            if (!simulators.scanner) return send(res, 404, { error: 'no simulated code scanner' });
            await simulators.scanner.scan(ScanSchema.parse(await body(req)).code);
            return send(res, 200, { scanned: true });
          }
          case 'GET /printer':
            if (!simulators.printer) return send(res, 404, { error: 'no simulated printer' });
            return send(res, 200, simulators.printer.record);
          case 'GET /printer/slips': {
            if (!simulators.printer) return send(res, 404, { error: 'no simulated printer' });
            const jobs = simulators.printer.record.jobs;
            const first = Math.max(0, jobs.length - SLIPS_SHOWN);
            // Newest first, each with its number in the record and the codes it carries (to scan elsewhere).
            const slips = jobs.slice(first).map((job, i) => ({
              index: first + i,
              svg: slipToSvg(printedJobToSlip(job)),
              codes: job.items.flatMap((item) => (item.type === 'qr' ? [item.payload] : [])),
            }));
            return send(res, 200, { slips: slips.reverse() });
          }
          case 'POST /printer/clear':
            // Between benchmark rounds: the simulator copies its whole record on every chunk.
            simulators.printer?.model.clearRecord();
            return send(res, 200, { cleared: true });
          case 'GET /printer/job-times':
            return send(res, 200, { jobTimes });
          case 'POST /printer/condition': {
            if (!simulators.printer) return send(res, 404, { error: 'no simulated printer' });
            simulators.printer.setCondition(ConditionSchema.parse(await body(req)));
            return send(res, 200, { condition: simulators.printer.record.condition });
          }
          case 'POST /printer/stall': {
            if (!simulators.printer) return send(res, 404, { error: 'no simulated printer' });
            const { stalled } = z.object({ stalled: z.boolean() }).strict().parse(await body(req));
            simulators.printer.stall(stalled);
            return send(res, 200, { stalled: simulators.printer.stalled });
          }
          case 'GET /announcement/clip': {
            const clip = simulators.voice?.last()?.clip;
            if (!clip) return send(res, 404, { error: 'nothing spoken yet' });
            return send(res, 200, clip);
          }
          case 'GET /locks':
            if (!simulators.lockBus) return send(res, 404, { error: 'no simulated lock boards' });
            return send(res, 200, { locks: simulators.lockBus.locks() });
          case 'POST /locks/close': {
            const { board, lock, bus } = lockOf(await body(req));
            bus.closeDoor(board, lock);
            return send(res, 200, { closed: true });
          }
          case 'POST /locks/jam': {
            const parsed = JamSchema.parse(await body(req));
            const { board, lock, bus } = lockOf({ board: parsed.board, lock: parsed.lock });
            bus.jam(board, lock, parsed.jammed);
            return send(res, 200, { jammed: parsed.jammed });
          }
          default:
            return send(res, 404, { error: `no route ${route}` });
        }
      } catch (error) {
        return send(res, 400, { error: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Whether a station config simulates any device (only then has the station hands to lend). */
export const simulatesAny = (devices: Record<string, { kind: string } | undefined>): boolean => Object.values(devices).some((d) => d?.kind === 'simulated');

/**
 * A browser-mode station's simulator control, when any of its devices is simulated (never
 * otherwise: a station with real devices has no hands to lend), and never under
 * NODE_ENV=production (the entry passes its validated environment). The token is the one in
 * the station's page URL, so whoever may open the page may drive its simulators.
 */
export async function simControlForStation(
  simulated: boolean,
  simulators: StationSimulators,
  pageUrl: string | undefined,
  env: Pick<StationEnvironment, 'NODE_ENV'>,
  port = 0,
): Promise<SimControl | undefined> {
  if (!simulated || env.NODE_ENV === 'production') return undefined;
  const token = tokenFromFragment(new URL(pageUrl ?? 'http://none').hash);
  return token ? startSimControl(simulators, token, port) : undefined;
}
