import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PERMISSIONS, type RoleDefinition, type RoleScope } from '@hall/shared';
import { request } from '../../api';
import type { PageProps } from '../../App';
import { FeedbackLine, toggled, useFeedback } from '../../Feedback';
import { useGet } from '../../useApi';

interface Listed {
  roles: RoleDefinition[];
  assignments: Record<string, string[]>;
}
interface StaffRow {
  id: string;
  displayName: string;
  staffNumber: string;
  departmentId?: string;
  roles: string[];
}
interface Draft {
  id?: string;
  zh: string;
  scope: RoleScope;
  departmentId: string;
  permissions: string[];
}

const EMPTY: Draft = { zh: '', scope: 'hall', departmentId: '', permissions: [] };

/** 角色与权限: built-in roles shown as defaults, configured roles edited, and handed to staff. */
export function RolesPage({ session, hallId }: PageProps) {
  const { t } = useTranslation();
  const list = useGet<Listed>(session, `/admin/halls/${hallId}/roles`);
  const staff = useGet<{ staff: StaffRow[] }>(session, `/admin/halls/${hallId}/staff`);
  const departments = useGet<{ departments: { id: string; name: { zh: string } }[] }>(session, `/departments?hallId=${hallId}`);
  const { feedback, run } = useFeedback();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [staffId, setStaffId] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const roles = list.data?.roles ?? [];
  const custom = roles.filter((r) => !r.builtIn);
  const pageName = (p: string) => t(`nav.${p}`);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const name = { zh: draft.zh.trim() };
    const done = draft.id
      ? await run(() => request(session, 'PATCH', `/admin/halls/${hallId}/roles/${draft.id}`, { name, permissions: draft.permissions }), t('roles.saved'))
      : await run(
          () =>
            request(session, 'POST', `/admin/halls/${hallId}/roles`, {
              name,
              scope: draft.scope,
              ...(draft.scope === 'department' ? { departmentId: draft.departmentId } : {}),
              permissions: draft.permissions,
            }),
          t('roles.created', { name: name.zh }),
        );
    if (done) {
      setDraft(EMPTY);
      list.reload();
    }
  };
  const toggleActive = async (role: RoleDefinition) => {
    if (await run(() => request(session, 'PATCH', `/admin/halls/${hallId}/roles/${role.id}`, { active: !role.active }), t('roles.saved'))) list.reload();
  };
  const chooseStaff = (id: string) => {
    setStaffId(id);
    setPicked(list.data?.assignments[id] ?? []);
  };
  const member = staff.data?.staff.find((s) => s.id === staffId);
  const fitting = custom.filter((r) => r.active && (r.scope !== 'department' || r.departmentId === member?.departmentId));
  const assign = async (event: FormEvent) => {
    event.preventDefault();
    if (!member) return;
    const ok = await run(() => request(session, 'PUT', `/admin/halls/${hallId}/staff/${member.id}/roles`, { roleIds: picked }), t('roles.assignedOk', { name: member.displayName }));
    if (ok) list.reload();
  };
  const assignedNames = (id: string) => (list.data?.assignments[id] ?? []).map((rid) => roles.find((r) => r.id === rid)?.name.zh ?? rid);

  return (
    <div data-testid="roles-page">
      <h2>{t('roles.heading')}</h2>
      <p className="muted">{t('roles.hint')}</p>
      <FeedbackLine feedback={feedback} testId="roles-feedback" />
      <div className="two-col">
        <section className="card">
          <h3>{draft.id ? t('roles.edit') : t('roles.add')}</h3>
          <form onSubmit={(e) => void save(e)} className="role-form">
            <label>
              {t('roles.name')} <input value={draft.zh} onChange={(e) => setDraft({ ...draft, zh: e.target.value })} required maxLength={60} data-testid="role-name" />
            </label>
            {!draft.id && (
              <label>
                {t('roles.scope')}{' '}
                <select value={draft.scope} onChange={(e) => setDraft({ ...draft, scope: e.target.value as RoleScope })} data-testid="role-scope">
                  <option value="hall">{t('roles.scopes.hall')}</option>
                  <option value="department">{t('roles.scopes.department')}</option>
                  {session.staff.roles.includes('city_admin') && <option value="city">{t('roles.scopes.city')}</option>}
                </select>
              </label>
            )}
            {!draft.id && draft.scope === 'department' && (
              <label>
                {t('roles.department')}{' '}
                <select value={draft.departmentId} onChange={(e) => setDraft({ ...draft, departmentId: e.target.value })} required>
                  <option value="" />
                  {(departments.data?.departments ?? []).map((d) => (
                    <option key={d.id} value={d.id}>
                      {d.name.zh}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <fieldset>
              <legend>{t('roles.permissions')}</legend>
              <div className="permission-grid">
                {PERMISSIONS.map((p) => (
                  <label key={p}>
                    <input
                      type="checkbox"
                      checked={draft.permissions.includes(p)}
                      onChange={(e) => setDraft({ ...draft, permissions: toggled(draft.permissions, p, e.target.checked) })}
                      data-testid={`role-permission-${p}`}
                    />{' '}
                    {pageName(p)}
                  </label>
                ))}
              </div>
            </fieldset>
            <div className="toolbar">
              <button type="submit" className="primary" data-testid="role-save">
                {t('roles.save')}
              </button>
              {draft.id && (
                <button type="button" onClick={() => setDraft(EMPTY)}>
                  {t('roles.cancel')}
                </button>
              )}
            </div>
          </form>
        </section>
        <section className="card">
          <h3>{t('roles.assign')}</h3>
          <form onSubmit={(e) => void assign(e)}>
            <label>
              {t('roles.staff')}{' '}
              <select value={staffId} onChange={(e) => chooseStaff(e.target.value)} data-testid="assign-staff">
                <option value="" />
                {(staff.data?.staff ?? [])
                  .filter((s) => s.id !== session.staff.id)
                  .map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.staffNumber} {s.displayName}（{s.roles.map((r) => t(`header.role.${r}`)).join('/')}）
                    </option>
                  ))}
              </select>
            </label>
            {member && (
              <>
                <div className="role-picks">
                  {fitting.map((r) => (
                    <label key={r.id}>
                      <input type="checkbox" checked={picked.includes(r.id)} onChange={(e) => setPicked(toggled(picked, r.id, e.target.checked))} data-testid={`assign-role-${r.name.zh}`} />{' '}
                      {r.name.zh}
                    </label>
                  ))}
                </div>
                <button type="submit" className="primary" data-testid="assign-save">
                  {t('roles.assignSave')}
                </button>
              </>
            )}
          </form>
          <table>
            <thead>
              <tr>
                <th>{t('roles.staff')}</th>
                <th>{t('roles.assigned')}</th>
              </tr>
            </thead>
            <tbody>
              {(staff.data?.staff ?? []).map((s) => (
                <tr key={s.id} data-testid={`assigned-${s.staffNumber}`}>
                  <td>
                    {s.staffNumber} {s.displayName}
                  </td>
                  <td>{assignedNames(s.id).join('、') || <span className="muted">{t('roles.builtInOnly')}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
      <section className="card">
        <h3>{t('roles.custom')}</h3>
        {custom.length === 0 && <p className="muted">{t('roles.none')}</p>}
        <RoleTable roles={custom} pageName={pageName}>
          {(r) => (
            <>
              <button type="button" onClick={() => setDraft({ id: r.id, zh: r.name.zh, scope: r.scope, departmentId: r.departmentId ?? '', permissions: [...r.permissions] })}>
                {t('roles.edit')}
              </button>{' '}
              <button type="button" onClick={() => void toggleActive(r)}>
                {r.active ? t('roles.deactivate') : t('roles.activate')}
              </button>
            </>
          )}
        </RoleTable>
      </section>
      <section className="card">
        <h3>{t('roles.builtIn')}</h3>
        <RoleTable roles={roles.filter((r) => r.builtIn)} pageName={pageName} />
      </section>
    </div>
  );
}

function RoleTable(props: { roles: RoleDefinition[]; pageName: (p: string) => string; children?: (role: RoleDefinition) => ReactNode }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language.startsWith('en');
  return (
    <table>
      <thead>
        <tr>
          <th>{t('roles.name')}</th>
          <th>{t('roles.scope')}</th>
          <th>{t('roles.permissions')}</th>
          {props.children && <th />}
        </tr>
      </thead>
      <tbody>
        {props.roles.map((r) => (
          <tr key={r.id} className={r.active ? '' : 'muted'} data-testid={`role-${r.name.zh}`}>
            <td>
              {en ? (r.name.en ?? r.name.zh) : r.name.zh}
              {!r.active && ` (${t('roles.inactive')})`}
            </td>
            <td>{t(`roles.scopes.${r.scope}`)}</td>
            <td className="permission-list">{r.permissions.length === 0 ? '—' : r.permissions.map(props.pageName).join('、')}</td>
            {props.children && <td>{props.children(r)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
