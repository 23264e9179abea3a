import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { maskIdNumber, maskName, maskPhone } from '@hall/shared';
import type { RecordedSms } from '../../sms/simulator';
import { PANEL_HTML } from './page';

/**
 * The hall simulator panel of `npm start`: one page that lends a newcomer the hands and
 * eyes of the whole demo hall — ID cards, scanners, printers, lock doors of every station,
 * and the SMS the hall sent. It drives each station through that station's own simulator
 * control (HTTP on loopback, the station's page token as bearer) and never a station's
 * internals, so what it does is what a device would do.
 *
 * A development tool: loopback only, refused under NODE_ENV=production, and its API wants
 * the panel's own token (in the printed URL's fragment) like a station page does.
 */

export interface PanelStation {
  id: string;
  label: string;
  role: 'kiosk' | 'counter' | 'display' | 'locker';
  /** The station's screen (with its token): the panel links to it. */
  pageUrl: string;
  /** Its simulator control, when it has simulated devices. */
  simUrl?: string;
  /** The station's page token: the simulator control's bearer. */
  token: string;
  /** A counter station's counter: the wall's signs are named by it. */
  counterId?: string;
  /** Further screens of the station (a counter's rating screen), by the panel's word for them. */
  links?: { text: 'ratingScreen'; url: string }[];
  /** A locker's compartments, so its doors carry the names the hall uses. */
  compartments?: { id: string; board: number; lock: number }[];
}

export interface PanelOptions {
  stations: () => PanelStation[];
  /** The central API, for residence codes issued the way the citizen platform gets them. */
  apiUrl: string;
  citizenPlatformKey: string;
  /** The SMS gateway simulator's record. */
  sms: () => readonly RecordedSms[];
  port?: number;
  env?: NodeJS.ProcessEnv;
}

export interface Panel {
  url: string;
  close(): Promise<void>;
}

/** A person the panel made up: what the hall may see of them, and the number only the devices get. */
interface TestCitizen {
  key: string;
  name: string;
  birthDate: string;
  sex: 'male' | 'female';
  sequence: number;
  /** Learnt from the first card placed (the station generates it); a test number. */
  idNumber?: string;
}

/** Made-up names for made-up people; the hall shows them masked anyway. */
const TEST_NAMES = ['王秀英', '李建国', '张桂兰', '陈志强', '刘淑珍', '黄伟明', '周玉梅', '吴国华'];

const CitizenSchema = z.object({ age: z.number().int().min(0).max(120), sex: z.enum(['male', 'female']) }).strict();
const CardSchema = z.object({ citizen: z.string().min(1).max(40) }).strict();
const ScanSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('residence'), citizen: z.string().min(1).max(40) }).strict(),
    z.object({ kind: z.literal('forged'), citizen: z.string().min(1).max(40) }).strict(),
    z.object({ kind: z.literal('code'), code: z.string().min(1).max(2000) }).strict(),
  ]);

class PanelError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A date `age` years before today (the birthday already past this year). */
function birthDateForAge(age: number, today = new Date()): string {
  const d = new Date(Date.UTC(today.getUTCFullYear() - age, today.getUTCMonth(), today.getUTCDate()));
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

function ageOf(birthDate: string, today = new Date()): number {
  const [y = 0, m = 1, d = 1] = birthDate.split('-').map(Number);
  let age = today.getUTCFullYear() - y;
  if (today.getUTCMonth() + 1 < m || (today.getUTCMonth() + 1 === m && today.getUTCDate() < d)) age--;
  return age;
}

/**
 * A code that looks like a residence code but whose signature is not the platform's: the
 * last characters of a genuine one changed, as a forger copying the format would make.
 */
export function forgeCode(genuine: string): string {
  const tail = genuine.slice(-6);
  const flipped = [...tail].map((c) => (c === 'A' ? 'B' : 'A')).join('');
  return genuine.slice(0, -6) + flipped;
}

function sameToken(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > 10_000) throw new PanelError(413, 'body too large');
  }
  try {
    return text === '' ? {} : JSON.parse(text);
  } catch {
    throw new PanelError(400, 'body is not JSON');
  }
}

function send(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(value));
}

export async function startPanel(options: PanelOptions): Promise<Panel> {
  const env = options.env ?? process.env;
  if (env.NODE_ENV === 'production') throw new Error('the hall simulator panel is a development tool and does not start with NODE_ENV=production');
  const token = randomBytes(24).toString('base64url');
  const citizens: TestCitizen[] = [];

  const station = (id: string): PanelStation & { simUrl: string } => {
    const found = options.stations().find((s) => s.id === id);
    if (!found) throw new PanelError(404, `no station ${id}`);
    if (!found.simUrl) throw new PanelError(404, `station ${id} has no simulated devices`);
    return { ...found, simUrl: found.simUrl };
  };
  const citizen = (key: string): TestCitizen => {
    const found = citizens.find((c) => c.key === key);
    if (!found) throw new PanelError(404, `no test citizen ${key}`);
    return found;
  };
  const toStation = async (s: PanelStation & { simUrl: string }, method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${s.simUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${s.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(5000),
    });
    const json = (await response.json().catch(() => ({}))) as { error?: string };
    if (!response.ok) throw new PanelError(response.status === 401 ? 502 : response.status, json.error ?? `station answered ${response.status}`);
    return json;
  };
  const residenceCode = async (c: TestCitizen): Promise<string> => {
    if (!c.idNumber) throw new PanelError(409, 'place this citizen’s ID card once first (the reader makes the test number)');
    const response = await fetch(`${options.apiUrl}/api/v1/residence-codes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-citizen-platform-key': options.citizenPlatformKey },
      body: JSON.stringify({ idNumber: c.idNumber }),
      signal: AbortSignal.timeout(5000),
    });
    const json = (await response.json().catch(() => ({}))) as { code?: string; error?: string };
    if (!response.ok || !json.code) throw new PanelError(502, `the central API gave no residence code (${json.error ?? response.status})`);
    return json.code;
  };

  const citizenView = (c: TestCitizen) => ({
    key: c.key,
    name: maskName(c.name),
    age: ageOf(c.birthDate),
    sex: c.sex,
    ...(c.idNumber ? { idNumber: maskIdNumber(c.idNumber) } : {}),
  });

  const state = async () => {
    const stations = await Promise.all(
      options.stations().map(async (s) => {
        let devices: unknown = null;
        let error: string | undefined;
        if (s.simUrl) {
          try {
            devices = await toStation({ ...s, simUrl: s.simUrl }, 'GET', '/devices');
          } catch (e) {
            error = e instanceof Error ? e.message : String(e);
          }
        }
        return { id: s.id, label: s.label, role: s.role, pageUrl: s.pageUrl, devices, ...(s.counterId ? { counterId: s.counterId } : {}), ...(s.compartments ? { compartments: s.compartments } : {}), ...(s.links ? { links: s.links } : {}), ...(error ? { error } : {}) };
      }),
    );
    const sms = options
      .sms()
      .slice(-20)
      .reverse()
      .map((m) => ({ id: m.messageId, to: maskPhone(m.to), text: m.text, at: m.at }));
    return { stations, citizens: citizens.map(citizenView), sms };
  };

  const routes = async (req: IncomingMessage, parts: string[]): Promise<unknown> => {
    const method = req.method ?? 'GET';
    const [head, id, ...rest] = parts;
    if (method === 'GET' && head === 'state' && !id) return state();
    if (method === 'POST' && head === 'citizens' && !id) {
      const wanted = CitizenSchema.parse(await readJson(req));
      const made: TestCitizen = {
        key: `c${citizens.length + 1}`,
        name: TEST_NAMES[citizens.length % TEST_NAMES.length] ?? '测试样例人',
        birthDate: birthDateForAge(wanted.age),
        sex: wanted.sex,
        // Each citizen their own generated number (the generator is deterministic per sequence).
        sequence: 100 + citizens.length * 2 + (wanted.sex === 'male' ? 1 : 0),
      };
      citizens.push(made);
      return citizenView(made);
    }
    if (head !== 'stations' || !id) throw new PanelError(404, `no route ${method} /${parts.join('/')}`);
    const target = station(id);
    const sub = `${method} ${rest.join('/')}`;
    switch (sub) {
      case 'POST idcard': {
        const c = citizen(CardSchema.parse(await readJson(req)).citizen);
        const placed = (await toStation(target, 'POST', '/idcard', { name: c.name, birthDate: c.birthDate, sex: c.sex, sequence: c.sequence })) as { idNumber?: string };
        c.idNumber ??= placed.idNumber;
        return { placed: true };
      }
      case 'DELETE idcard':
        return toStation(target, 'DELETE', '/idcard');
      case 'POST scan': {
        const wanted = ScanSchema.parse(await readJson(req));
        const code =
          wanted.kind === 'code' ? wanted.code : wanted.kind === 'residence' ? await residenceCode(citizen(wanted.citizen)) : forgeCode(await residenceCode(citizen(wanted.citizen)));
        await toStation(target, 'POST', '/scan', { code });
        return { scanned: wanted.kind };
      }
      case 'GET printer/slips':
        return toStation(target, 'GET', '/printer/slips');
      case 'GET announcement/clip':
        return toStation(target, 'GET', '/announcement/clip');
      case 'GET camera/test-page':
        return toStation(target, 'GET', '/camera/test-page');
      case 'POST printer/condition':
      case 'POST locks/close':
      case 'POST locks/jam':
        return toStation(target, 'POST', `/${rest.join('/')}`, await readJson(req));
      default:
        throw new PanelError(404, `no route ${method} /${parts.join('/')}`);
    }
  };

  const server = createServer((req, res) => {
    void (async () => {
      const address = server.address() as AddressInfo;
      // Only this machine, by the name the panel printed (a page elsewhere cannot rebind a name to it).
      const allowedHosts = [`127.0.0.1:${address.port}`, `localhost:${address.port}`];
      if (!allowedHosts.includes(req.headers.host ?? '')) return send(res, 421, { error: 'wrong host' });
      const path = new URL(req.url ?? '/', 'http://local').pathname;
      if (req.method === 'GET' && (path === '/' || path === '/index.html')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'" });
        return res.end(PANEL_HTML);
      }
      if (!path.startsWith('/api/')) return send(res, 404, { error: 'not found' });
      const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!sameToken(bearer, token)) return send(res, 401, { error: 'panel token missing or wrong: open the address printed by npm start' });
      try {
        return send(res, 200, await routes(req, path.slice('/api/'.length).split('/').filter(Boolean).map(decodeURIComponent)));
      } catch (error) {
        if (error instanceof PanelError) return send(res, error.status, { error: error.message });
        if (error instanceof z.ZodError) return send(res, 400, { error: error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
        return send(res, 502, { error: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
