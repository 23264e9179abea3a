import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StationCallError, zonedInstant, type FormSchema } from '@hall/shared';
import { FileA4Printer } from '@hall/devices';
import { pdfText } from '@hall/devices/testing';
import { StationCore } from '../../core';
import { testCatalogue } from '../../testing/hall';
import { openKioskDb } from './kioskDb';
import { KioskRole } from './role';

const DAY = '2026-11-23';
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const FORM: FormSchema = {
  id: 'f1',
  version: 1,
  title: { zh: '户籍证明申请表' },
  sections: [
    {
      id: 'applicant',
      title: { zh: '申请内容' },
      fields: [
        { id: 'phone', label: { zh: '联系电话' }, kind: 'phone', required: true, autofill: [], personal: true },
        { id: 'purpose', label: { zh: '证明用途' }, kind: 'choice', required: true, options: [{ value: 'job', label: { zh: '就业' } }], autofill: [], personal: false },
      ],
    },
  ],
};

function kiosk(withPrinter: boolean) {
  const now = () => zonedInstant(DAY, '10:00', 'Asia/Shanghai');
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-a4-'));
  dirs.push(dir);
  const core = StationCore.open(join(dir, 'station.db'), { deviceId: 'k1', hallId: 'hall-1', role: 'kiosk' }, now);
  core.guardOrigin();
  const catalogue = testCatalogue();
  core.store.replaceCatalogue({ ...catalogue, forms: [FORM], services: catalogue.services.map((s) => (s.id === 's1' ? { ...s, formId: 'f1' } : s)) });
  const printer = new FileA4Printer(join(dir, 'prints'));
  const role = new KioskRole({
    db: openKioskDb(':memory:'),
    core,
    emit: () => undefined,
    idHashKey: 'test-key',
    followUrlBase: 'https://hall.example/follow',
    enforceOpeningHours: false,
    now,
    ...(withPrinter ? { a4Printer: printer } : {}),
  });
  const handlers = role.handlers();
  const call = async <K extends 'kiosk.submit' | 'kiosk.printForm' | 'kiosk.screen'>(name: K, params: Parameters<NonNullable<(typeof handlers)[K]>>[0]) => {
    const handler = handlers[name] as ((p: typeof params) => unknown) | undefined;
    if (!handler) throw new Error(`the kiosk has no ${name}`);
    return handler(params);
  };
  const submit = async () =>
    (await call('kiosk.submit', { serviceId: 's1', answers: {}, formId: 'f1', formVersion: 1, values: { phone: '13800138000', purpose: 'job' }, autofilled: [] })) as { caseId: string };
  return { role, printer, dir, call, submit };
}

describe('打印申请表: the submitted form on the kiosk A4 printer', () => {
  it('prints the form as submitted, option labels and all, and again after paper out', async () => {
    const { printer, dir, call, submit } = kiosk(true);
    const { caseId } = await submit();
    printer.setPaperOut(true);
    expect(await call('kiosk.printForm', { caseId })).toEqual({ printed: false, problem: 'paper-out' });
    expect(existsSync(join(dir, 'prints'))).toBe(false);
    printer.setPaperOut(false);
    expect(await call('kiosk.printForm', { caseId })).toEqual({ printed: true });
    const [file] = readdirSync(join(dir, 'prints'));
    // The job's name carries the case number, not the citizen.
    expect(file).toMatch(new RegExp(`application-${caseId.slice(-12)}`));
    const path = join(dir, 'prints', file ?? '');
    expect(readFileSync(path).subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(path);
    for (const expected of ['户籍证明申请表', '13800138000', '就业', '申请人（签名）']) expect(text).toContain(expected);
    expect(text).not.toContain('job');
  });

  it('forgets the forms when the kiosk returns home: the next citizen cannot print them', async () => {
    const { call, submit } = kiosk(true);
    const { caseId } = await submit();
    await call('kiosk.screen', { screen: 'home' });
    await expect(call('kiosk.printForm', { caseId })).rejects.toBeInstanceOf(StationCallError);
  });

  it('says there is no A4 printer on a kiosk without one', async () => {
    const { call, submit } = kiosk(false);
    const { caseId } = await submit();
    expect(await call('kiosk.printForm', { caseId })).toEqual({ printed: false, problem: 'absent' });
  });
});
