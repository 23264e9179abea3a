import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Counter, Queue, StaffRole } from '@hall/shared';
import { request } from '../api';
import type { PageProps } from '../App';
import { FeedbackLine, toggled, useFeedback } from '../Feedback';
import { useLocalized } from '../localized';
import { useGet } from '../useApi';
import { StaffExcelSection } from './people/StaffExcelSection';

interface Assignment {
  counterIds: string[];
  queueIds: string[];
}

interface StaffRow {
  id: string;
  hallId: string | null;
  login: string;
  displayName: string;
  staffNumber: string;
  roles: StaffRole[];
  active: boolean;
  assignment: Assignment;
}

const HALL_ROLES: readonly StaffRole[] = ['clerk', 'supervisor', 'hall_manager'];

/** Staff of the hall: accounts, roles, passwords and which counters and queues a clerk serves. */
export function StaffPage({ session, hallId, cityWide, onConfigChanged }: PageProps) {
  const { t } = useTranslation();
  const staff = useGet<{ staff: StaffRow[] }>(session, `/admin/halls/${hallId}/staff`);
  const counters = useGet<{ counters: Counter[] }>(session, `/halls/${hallId}/counters`);
  const queues = useGet<{ queues: Queue[] }>(session, `/halls/${hallId}/queues`);
  const { feedback, run } = useFeedback();
  const [editing, setEditing] = useState<string>();
  const local = useLocalized();
  const roles = cityWide ? [...HALL_ROLES, 'city_admin' as const] : HALL_ROLES;
  const changed = () => {
    staff.reload();
    onConfigChanged();
  };
  const counterName = new Map((counters.data?.counters ?? []).map((c) => [c.id, t('staff.counterNumber', { number: c.number })]));
  const queueName = new Map((queues.data?.queues ?? []).map((q) => [q.id, `${q.prefix} ${local.text(q.name)}`]));
  const names = (ids: string[], map: Map<string, string>) => (ids.length === 0 ? t('staff.any') : local.list(ids.map((id) => map.get(id) ?? id)));
  const rows = staff.data?.staff ?? [];
  const current = rows.find((s) => s.id === editing);
  return (
    <div data-testid="staff-page">
      <FeedbackLine feedback={feedback} testId="staff-message" />
      <AddStaff
        hallId={hallId}
        roles={roles}
        onAdd={async (body) => {
          if (await run(() => request(session, 'POST', '/staff', body), t('staff.created', { name: body.displayName }))) changed();
        }}
      />
      <section className="card">
        <h2>{t('staff.heading')}</h2>
        <table data-testid="staff-table">
          <thead>
            <tr>
              <th>{t('staff.staffNumber')}</th>
              <th>{t('staff.displayName')}</th>
              <th>{t('staff.login')}</th>
              <th>{t('staff.roles')}</th>
              <th>{t('staff.counters')}</th>
              <th>{t('staff.queues')}</th>
              <th>{t('staff.status')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => (
              <tr key={s.id} data-testid={`staff-row-${s.login}`} className={s.active ? '' : 'inactive'}>
                <td>{s.staffNumber}</td>
                <td>{s.displayName}</td>
                <td>{s.login}</td>
                <td>{local.list(s.roles.map((r) => t(`header.role.${r}`)))}</td>
                <td>{names(s.assignment.counterIds, counterName)}</td>
                <td>{names(s.assignment.queueIds, queueName)}</td>
                <td>{s.active ? t('staff.active') : t('staff.disabled')}</td>
                <td>
                  <button type="button" onClick={() => setEditing(s.id)}>
                    {t('staff.edit')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <StaffExcelSection session={session} hallId={hallId} onImported={changed} />
      {current && (
        <EditStaff
          key={current.id}
          staff={current}
          roles={roles}
          counters={counters.data?.counters ?? []}
          queues={queues.data?.queues ?? []}
          self={current.id === session.staff.id}
          onClose={() => setEditing(undefined)}
          onSave={async (patch, assignment) => {
            const ok = await run(async () => {
              await request(session, 'PATCH', `/staff/${current.id}`, patch);
              await request(session, 'PUT', `/admin/halls/${hallId}/staff/${current.id}/assignment`, assignment);
            }, t('staff.saved'));
            if (ok) changed();
          }}
          onPassword={async (password) => {
            if (await run(() => request(session, 'PATCH', `/staff/${current.id}`, { password }), t('staff.passwordReset'))) changed();
          }}
          onActive={async (active) => {
            if (await run(() => request(session, 'PATCH', `/staff/${current.id}`, { active }), t('staff.saved'))) changed();
          }}
        />
      )}
    </div>
  );
}

interface NewStaff {
  id: string;
  hallId: string;
  login: string;
  displayName: string;
  staffNumber: string;
  roles: StaffRole[];
  password: string;
}

function AddStaff(props: { hallId: string; roles: readonly StaffRole[]; onAdd: (s: NewStaff) => Promise<void> }) {
  const { t } = useTranslation();
  const empty = { login: '', displayName: '', staffNumber: '', role: 'clerk' as StaffRole, password: '' };
  const [draft, setDraft] = useState(empty);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { role, ...rest } = draft;
    await props.onAdd({ id: `staff-${Date.now().toString(36)}`, hallId: props.hallId, roles: [role], ...rest });
    setDraft(empty);
  };
  const field = (key: 'login' | 'displayName' | 'staffNumber', max: number) => (
    <label>
      {t(`staff.${key}`)} <input name={key} value={draft[key]} required maxLength={max} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
    </label>
  );
  return (
    <form className="card toolbar" onSubmit={(e) => void submit(e)} data-testid="add-staff">
      <strong>{t('staff.add')}</strong>
      {field('login', 32)}
      {field('displayName', 32)}
      {field('staffNumber', 16)}
      <label>
        {t('staff.roles')}{' '}
        <select name="role" value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value as StaffRole })}>
          {props.roles.map((r) => (
            <option key={r} value={r}>
              {t(`header.role.${r}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('staff.password')}{' '}
        <input name="password" type="password" value={draft.password} required minLength={8} placeholder={t('staff.passwordHint')} onChange={(e) => setDraft({ ...draft, password: e.target.value })} />
      </label>
      <button type="submit" className="primary">
        {t('staff.create')}
      </button>
    </form>
  );
}

interface EditProps {
  staff: StaffRow;
  roles: readonly StaffRole[];
  counters: Counter[];
  queues: Queue[];
  self: boolean;
  onClose: () => void;
  onSave: (patch: { displayName: string; staffNumber: string; roles: StaffRole[] }, assignment: Assignment) => Promise<void>;
  onPassword: (password: string) => Promise<void>;
  onActive: (active: boolean) => Promise<void>;
}

function EditStaff(props: EditProps) {
  const { t } = useTranslation();
  const local = useLocalized();
  const { staff } = props;
  const [draft, setDraft] = useState({ displayName: staff.displayName, staffNumber: staff.staffNumber, roles: staff.roles });
  const [assignment, setAssignment] = useState(staff.assignment);
  const [password, setPassword] = useState('');
  return (
    <section className="card" data-testid="edit-staff">
      <h2>
        {staff.displayName} · {staff.login}
      </h2>
      <div className="form-grid">
        <label>
          {t('staff.displayName')} <input name="edit-displayName" value={draft.displayName} maxLength={32} onChange={(e) => setDraft({ ...draft, displayName: e.target.value })} />
        </label>
        <label>
          {t('staff.staffNumber')} <input name="edit-staffNumber" value={draft.staffNumber} maxLength={16} onChange={(e) => setDraft({ ...draft, staffNumber: e.target.value })} />
        </label>
      </div>
      <fieldset>
        <legend>{t('staff.roles')}</legend>
        {props.roles.map((r) => (
          <label key={r} className="check">
            <input type="checkbox" checked={draft.roles.includes(r)} onChange={(e) => setDraft({ ...draft, roles: toggled(draft.roles, r, e.target.checked) as StaffRole[] })} />{' '}
            {t(`header.role.${r}`)}
          </label>
        ))}
        {!props.roles.includes('city_admin') && <span className="muted"> {t('staff.rolesHint')}</span>}
      </fieldset>
      <fieldset data-testid="assign-counters">
        <legend>{t('staff.counters')}</legend>
        {props.counters.map((c) => (
          <label key={c.id} className="check">
            <input
              type="checkbox"
              name={`counter-${c.number}`}
              checked={assignment.counterIds.includes(c.id)}
              onChange={(e) => setAssignment({ ...assignment, counterIds: toggled(assignment.counterIds, c.id, e.target.checked) })}
            />{' '}
            {c.number} · {local.text(c.name)}
          </label>
        ))}
      </fieldset>
      <fieldset data-testid="assign-queues">
        <legend>{t('staff.queues')}</legend>
        {props.queues.map((q) => (
          <label key={q.id} className="check">
            <input
              type="checkbox"
              name={`queue-${q.prefix}`}
              checked={assignment.queueIds.includes(q.id)}
              onChange={(e) => setAssignment({ ...assignment, queueIds: toggled(assignment.queueIds, q.id, e.target.checked) })}
            />{' '}
            {q.prefix} · {local.text(q.name)}
          </label>
        ))}
      </fieldset>
      <div className="toolbar">
        <button type="button" className="primary" data-testid="save-staff" onClick={() => void props.onSave(draft, assignment)}>
          {t('staff.save')}
        </button>
        <label>
          {t('staff.newPassword')}{' '}
          <input name="new-password" type="password" value={password} minLength={8} placeholder={t('staff.passwordHint')} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <button type="button" data-testid="reset-password" disabled={password.length < 8} onClick={() => void props.onPassword(password).then(() => setPassword(''))}>
          {t('staff.resetPassword')}
        </button>
        {!props.self && (
          <button type="button" className={staff.active ? 'danger' : ''} data-testid="toggle-active" onClick={() => void props.onActive(!staff.active)}>
            {staff.active ? t('staff.disable') : t('staff.enable')}
          </button>
        )}
        <button type="button" className="link" onClick={props.onClose}>
          {t('staff.cancel')}
        </button>
      </div>
    </section>
  );
}
