import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { waitUntil } from '../harness/stations';
import { householdServiceWithTree, issueAtKiosk, signIn as signInAtCounter, stationKnows, useCounterHall } from '../counter/counterHall';
import { buildConsole, SCREENSHOTS } from './build';
import { signIn } from './hall';

/**
 * 回执个性化定制 (issue 20): a hall manager rewords the household service's acceptance
 * receipt in the console, a counter accepts a case of that service, and the paper the
 * simulated printer decoded says what the console's preview showed.
 */
test.beforeAll(() => buildConsole());
const running = useCounterHall(['counter.2']);

/** The text lines of the preview SVG the browser shows (the picture itself, not a side channel). */
async function previewLines(page: Page): Promise<string[]> {
  const src = (await page.getByTestId('slip-preview').getAttribute('src')) ?? '';
  const svg = decodeURIComponent(src.slice(src.indexOf(',') + 1));
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)]
    .map((m) => (m[1] ?? '').replace(/&#(\d+);/g, (_all, code: string) => String.fromCharCode(Number(code))))
    // Rules are drawn as text too (a row of dashes), as the printer prints them.
    .filter((line) => !/^-+$/.test(line));
}

test('a receipt reworded in the console prints at the counter as its preview shows', async ({ page }) => {
  test.setTimeout(150_000);
  const { hall, counter } = running();
  const service = householdServiceWithTree(hall.kiosk);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, hall.central, 'hallmanager');
  await page.getByTestId('nav-slips').click();
  await page.getByTestId('slip-service').selectOption(service.id);
  await expect(page.getByTestId('slip-source')).toHaveText('系统默认');

  // An unknown placeholder is refused with the line and the name, and cannot be saved.
  const text = page.getByTestId('slip-text');
  await text.fill('## {{大厅名称}}\n领证地点：{{领证地点}}');
  await expect(page.getByTestId('slip-problems')).toContainText('第2行：未知占位符 {{领证地点}}');
  await expect(page.getByTestId('slip-save')).toBeDisabled();
  await page.screenshot({ path: join(SCREENSHOTS, 'slip-templates-refused.png') });

  const wording = [
    '## {{大厅名称}}',
    '# 户口业务受理回执',
    '---',
    '办件编号：{{办件编号}}',
    '办理事项：{{办理事项}}',
    '申请人：{{申请人}}',
    '承诺时限：{{承诺时限}}',
    '容缺待补：{{容缺材料}}',
    '---',
    '! 温馨提示：办结后短信通知，凭本回执到三楼户政窗口领证',
    '{{二维码}}',
    '^ 扫码查询办理进度',
  ].join('\n');
  await text.fill(wording);
  await expect(page.getByTestId('slip-problems')).toHaveCount(0);
  await expect(page.getByTestId('slip-preview')).toHaveAttribute('alt', /户口业务受理回执/);
  const preview = await previewLines(page);
  expect(preview).toContain('办理事项：' + service.name.zh);
  await page.getByTestId('slip-save').click();
  await expect(page.getByTestId('slip-message')).toHaveText('已保存，窗口同步后按新模板打印');
  await expect(page.getByTestId('slip-source')).toHaveText('本事项专用');
  // The editor reopens on the saved wording; its preview follows a moment later.
  await expect(page.getByTestId('slip-preview')).toHaveAttribute('alt', /户口业务受理回执/);
  await page.screenshot({ path: join(SCREENSHOTS, 'slip-templates.png'), fullPage: true });

  // The counter gets the wording with its catalogue, then accepts a case of that service.
  const { runtime, role } = counter;
  await waitUntil('counter has the new wording', () => (runtime.core.store.catalogue?.slipTemplates ?? []).some((t) => t.serviceId === service.id), 20_000);
  const { ticket } = await issueAtKiosk(hall.kiosk, service, 71);
  await stationKnows(counter, ticket.id, 1);
  await signInAtCounter(await page.context().newPage(), counter, 'clerk2');
  const caseId = Object.values(runtime.core.store.live.cases).find((c) => c.ticketId === ticket.id)?.id ?? '';
  runtime.core.ticketCommand('callSpecific', ticket.id);
  role.startServing(ticket.id);
  for (const m of role.caseView(caseId).checklist) if (m.required) role.checkMaterial(caseId, m.materialId, true);
  const printer = counter.devices.simulators.printer;
  if (!printer) throw new Error('the counter has no simulated printer');
  const before = printer.record.jobs.length;
  const { case: accepted } = await role.accept(caseId);
  await expect.poll(() => printer.record.jobs.length).toBe(before + 1);

  const printed = (printer.record.jobs.at(-1)?.items ?? []).flatMap((item) => (item.type === 'text' ? [item.text.trimEnd()] : [])).filter((line) => !/^-+$/.test(line));
  // Line for line the paper is the preview; only the case's own facts differ from the sample.
  const own = (line: string) => line.replace(/^(办件编号|申请人)：.*/, '$1：…');
  expect(printed.map(own)).toEqual(preview.map(own));
  expect(printed).toContain(`办件编号：${accepted.caseNumber ?? ''}`);
  expect(printed.join('')).toContain('温馨提示：办结后短信通知，凭本回执到三楼户政窗口领证');
  expect(printed.some((line) => line.startsWith('容缺待补'))).toBe(false);
  expect(printer.record.jobs.at(-1)?.items.some((item) => item.type === 'qr')).toBe(true);
});
