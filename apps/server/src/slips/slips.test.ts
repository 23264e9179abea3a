import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { listAudit } from '../store/audit';
import { forgetCatalogue, loadCatalogue } from '../sync/catalogue';
import { BACKENDS } from '../testing/databases';
import { bearer, startTestServer, type TestServer } from '../testing/server';

const pgUrl = inject('postgresUrl');
const NOW = new Date('2026-03-11T02:00:00.000Z');

describe.each(BACKENDS)('printed documents’ wording on %s', (dialect) => {
  let server: TestServer;
  const tokens = { manager1: '', manager2: '', clerk1: '' };
  const call = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, who: keyof typeof tokens, payload?: object) =>
    server.app.inject({ method, url: `/api/v1${url}`, headers: bearer(tokens[who]), ...(payload ? { payload } : {}) });
  const receipt = (body: string, serviceId: string | null = 't1-svc-1') => ({ kind: 'acceptance_receipt', serviceId, body });

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl, { clock: () => NOW });
    tokens.manager1 = await server.login('t1-manager');
    tokens.manager2 = await server.login('t2-manager');
    tokens.clerk1 = await server.login('t1-clerk');
  });
  afterAll(async () => server.dispose());

  it('previews a template with the printing code, saves it audited and hands it to counters with the catalogue', async () => {
    const body = '## {{大厅名称}}\n# 户籍受理回执\n办件编号：{{办件编号}}\n办理事项：{{办理事项}}\n^ 请于工作日凭本回执领证';
    const previewed = await call('POST', '/admin/halls/t1-hall/slip-templates/preview', 'manager1', receipt(body));
    expect(previewed.statusCode, previewed.body).toBe(200);
    const { svg, lines } = previewed.json() as { svg: string; lines: string[] };
    expect(lines[1]).toBe('户籍受理回执');
    expect(lines).toContain('办理事项：户籍证明1');
    expect(lines.at(-1)).toBe('请于工作日凭本回执领证');
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain('户籍受理回执');

    const saved = await call('PUT', '/admin/halls/t1-hall/slip-templates', 'manager1', receipt(body));
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().templates).toEqual([{ ...receipt(body), updatedAt: NOW.toISOString() }]);
    const edited = `${body}\n---`;
    expect((await call('PUT', '/admin/halls/t1-hall/slip-templates', 'manager1', receipt(edited))).statusCode).toBe(200);
    forgetCatalogue(server.db.database.db, 't1-hall');
    const catalogue = await loadCatalogue(server.db.database.db, 't1-hall');
    expect(catalogue.slipTemplates).toEqual([receipt(edited)]);
    const audit = await listAudit(server.db.database.db, { entity: 'slip_template', entityId: 'acceptance_receipt:t1-svc-1' });
    expect(audit).toHaveLength(2);

    const removed = await call('DELETE', '/admin/halls/t1-hall/slip-templates?kind=acceptance_receipt&serviceId=t1-svc-1', 'manager1');
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().templates).toEqual([]);
    expect((await call('DELETE', '/admin/halls/t1-hall/slip-templates?kind=acceptance_receipt&serviceId=t1-svc-1', 'manager1')).statusCode).toBe(404);
  });

  it('refuses an unknown placeholder, a loose brace or a foreign service with a clear error, and keeps the saved wording', async () => {
    const good = '办件编号：{{办件编号}}';
    expect((await call('PUT', '/admin/halls/t1-hall/slip-templates', 'manager1', receipt(good, null))).statusCode).toBe(200);
    const unknown = await call('PUT', '/admin/halls/t1-hall/slip-templates', 'manager1', receipt('line one\n领证地点：{{领证地点}}', null));
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.message).toContain('第2行：未知占位符 {{领证地点}}');
    const brace = await call('POST', '/admin/halls/t1-hall/slip-templates/preview', 'manager1', receipt('办件编号：{{办件编号}', null));
    expect(brace.statusCode).toBe(422);
    expect(brace.json().error.message).toContain('括号不成对');
    const notice = await call('PUT', '/admin/halls/t1-hall/slip-templates', 'manager1', { kind: 'one_time_notice', serviceId: null, body: '{{办件编号}}' });
    expect(notice.statusCode).toBe(422);
    const foreign = await call('PUT', '/admin/halls/t1-hall/slip-templates', 'manager1', receipt(good, 't2-svc-1'));
    expect(foreign.statusCode).toBe(422);
    const listed = (await call('GET', '/admin/halls/t1-hall/slip-templates', 'manager1')).json();
    expect(listed.templates).toEqual([{ ...receipt(good, null), updatedAt: NOW.toISOString() }]);
    expect(listed.placeholders.one_time_notice).toContain('材料清单');
  });

  it('lets only the hall’s own manager edit', async () => {
    expect((await call('PUT', '/admin/halls/t1-hall/slip-templates', 'manager2', receipt('x'))).statusCode).toBe(403);
    expect((await call('PUT', '/admin/halls/t1-hall/slip-templates', 'clerk1', receipt('x'))).statusCode).toBe(403);
  });
});
