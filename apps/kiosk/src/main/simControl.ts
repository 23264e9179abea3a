import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { makeTestIdNumber } from '@hall/shared';
import { testResidentCard } from '@hall/devices/idcard/testCards';
import type { DeviceSimulators } from '@hall/station/devices/manager';
import { tokenMatches } from '@hall/station/host/access';

/**
 * The hands of a simulated hall: places test ID cards, scans codes, opens the printer
 * cover. Loopback only and started only when a device is simulated, so a demo (or a
 * test) can act like a citizen at the kiosk. Cards are generated test documents.
 *
 * Every request needs `authorization: Bearer <station token>`: another local program or
 * web page must not drive the kiosk through its simulators either, and a browser cannot
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

export async function startSimControl(simulators: DeviceSimulators, token: string, port = 0): Promise<SimControl> {
  // When each slip's cut reached the simulated printer (ms since epoch): what the benchmark times.
  const jobTimes: number[] = [];
  simulators.printer?.on('job', () => jobTimes.push(Date.now()));
  const server = createServer((req, res) => {
    void (async () => {
      const route = `${req.method ?? 'GET'} ${new URL(req.url ?? '/', 'http://local').pathname}`;
      const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!tokenMatches(token, bearer)) return send(res, 401, { error: 'station token missing or wrong' });
      try {
        switch (route) {
          case 'POST /idcard': {
            if (!simulators.idCard) return send(res, 404, { error: 'no simulated ID-card reader' });
            const card = PlaceCardSchema.parse(await body(req));
            const idNumber = makeTestIdNumber({ regionCode: '441502', birthDate: card.birthDate, sex: card.sex, sequence: card.sequence });
            simulators.idCard.placeCard({
              document: testResidentCard({
                name: card.name,
                birthDate: card.birthDate,
                sexCode: card.sex === 'male' ? '1' : '2',
                sex: card.sex === 'male' ? '男' : '女',
                idNumber,
              }),
            });
            // The test needs the number to type it or check masking; it is a generated test number.
            return send(res, 200, { placed: true, idNumber });
          }
          case 'DELETE /idcard':
            simulators.idCard?.removeCard();
            return send(res, 200, { removed: true });
          case 'POST /scan': {
            if (!simulators.scanner) return send(res, 404, { error: 'no simulated code scanner' });
            await simulators.scanner.scan(ScanSchema.parse(await body(req)).code);
            return send(res, 200, { scanned: true });
          }
          case 'GET /printer':
            if (!simulators.printer) return send(res, 404, { error: 'no simulated printer' });
            return send(res, 200, simulators.printer.record);
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
