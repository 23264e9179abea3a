import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallingRules, Counter, CounterKind, Department, PriorityGroup, Queue, Service, TicketKind } from '@hall/shared';
import { request } from '../api';
import type { PageProps } from '../App';
import { FeedbackLine, toggled, useFeedback } from '../Feedback';
import { useLocalized } from '../localized';
import { useGet } from '../useApi';

const TICKET_KINDS: readonly TicketKind[] = ['walk_in', 'appointment', 'consultation', 'pickup', 'enterprise'];
const COUNTER_KINDS: readonly CounterKind[] = ['service', 'general', 'delivery'];
const newId = (kind: string) => `${kind}-${Date.now().toString(36)}`;

/** Queues (prefix, services, ticket kinds), the hall's priority groups, and counters with their services and priorities. */
export function LayoutPage({ session, hallId, onConfigChanged }: PageProps) {
  const { t } = useTranslation();
  const queues = useGet<{ queues: Queue[] }>(session, `/halls/${hallId}/queues`);
  const counters = useGet<{ counters: Counter[] }>(session, `/halls/${hallId}/counters`);
  const services = useGet<{ services: Service[] }>(session, `/services?hallId=${hallId}`);
  const departments = useGet<{ departments: Department[] }>(session, `/departments?hallId=${hallId}`);
  const hall = useGet<{ callingRules: CallingRules | null }>(session, `/halls/${hallId}`);
  const { feedback, run, clear } = useFeedback();
  const local = useLocalized();
  const [queueEdit, setQueueEdit] = useState<{ item: Queue; isNew: boolean }>();
  const [counterEdit, setCounterEdit] = useState<{ item: Counter; isNew: boolean }>();
  // Opening an editor starts afresh: the last save's message belongs to the last editor.
  const openQueue = (edit: { item: Queue; isNew: boolean }) => {
    clear();
    setQueueEdit(edit);
  };
  const openCounter = (edit: { item: Counter; isNew: boolean }) => {
    clear();
    setCounterEdit(edit);
  };
  const serviceList = services.data?.services ?? [];
  const serviceName = new Map(serviceList.map((s) => [s.id, local.text(s.name)]));
  const queueList = queues.data?.queues ?? [];

  const save = async (kind: 'queues' | 'counters', item: Queue | Counter, isNew: boolean) => {
    const ok = await run(() => request(session, isNew ? 'POST' : 'PUT', isNew ? `/${kind}` : `/${kind}/${item.id}`, item), t('layout.saved'));
    if (!ok) return;
    onConfigChanged();
    if (kind === 'queues') {
      queues.reload();
      setQueueEdit(undefined);
    } else {
      counters.reload();
      setCounterEdit(undefined);
    }
  };

  return (
    <div data-testid="layout-page">
      <FeedbackLine feedback={feedback} testId="layout-message" />
      <section className="card">
        <div className="card-head">
          <h2>{t('layout.queues')}</h2>
          <button
            type="button"
            data-testid="add-queue"
            onClick={() => openQueue({ isNew: true, item: { id: newId('queue'), hallId, prefix: '', name: { zh: '' }, serviceIds: [], kinds: ['walk_in'], numberDigits: 3 } })}
          >
            {t('layout.addQueue')}
          </button>
        </div>
        <table className="layout-table" data-testid="queue-table">
          <thead>
            <tr>
              <th>{t('layout.prefix')}</th>
              <th>{t('layout.consultationPrefix')}</th>
              <th>{t('layout.name')}</th>
              <th>{t('layout.services')}</th>
              <th>{t('layout.kinds')}</th>
              <th>{t('layout.digits')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {queueList.map((q) => (
              <tr key={q.id} data-testid={`queue-row-${q.prefix}`}>
                <td className="code">{q.prefix}</td>
                <td className="code">{q.consultationPrefix ?? ''}</td>
                <td className="nowrap">{local.text(q.name)}</td>
                <td>{local.list(q.serviceIds.map((id) => serviceName.get(id) ?? id)) || t('layout.none')}</td>
                <td>{local.list(q.kinds.map((k) => t(`layout.ticketKinds.${k}`)))}</td>
                <td>{q.numberDigits}</td>
                <td>
                  <button type="button" onClick={() => openQueue({ isNew: false, item: q })}>
                    {t('layout.edit')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {queueEdit && (
          <QueueEditor
            key={queueEdit.item.id}
            queue={queueEdit.item}
            services={serviceList}
            onCancel={() => setQueueEdit(undefined)}
            onSave={(q) => void save('queues', q, queueEdit.isNew)}
          />
        )}
      </section>
      {hall.data?.callingRules && (
        <PriorityGroups
          rules={hall.data.callingRules}
          onSave={async (groups) => {
            const rules = { ...hall.data!.callingRules!, priorityGroups: groups };
            if (await run(() => request(session, 'PUT', `/halls/${hallId}/calling-rules`, rules), t('layout.saved'))) {
              hall.reload();
              onConfigChanged();
            }
          }}
        />
      )}
      <section className="card">
        <div className="card-head">
          <h2>{t('layout.counters')}</h2>
          <button
            type="button"
            data-testid="add-counter"
            onClick={() => openCounter({ isNew: true, item: { id: newId('counter'), hallId, number: '', name: { zh: '' }, kind: 'service', services: [], queueIds: [] } })}
          >
            {t('layout.addCounter')}
          </button>
        </div>
        <table className="layout-table" data-testid="counter-table">
          <thead>
            <tr>
              <th>{t('layout.number')}</th>
              <th>{t('layout.name')}</th>
              <th>{t('layout.department')}</th>
              <th>{t('layout.kind')}</th>
              <th>{t('layout.services')}</th>
              <th>{t('layout.queueIds')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(counters.data?.counters ?? []).map((c) => (
              <tr key={c.id} data-testid={`layout-counter-${c.number}`}>
                <td className="code">{c.number}</td>
                <td>{local.text(c.name)}</td>
                <td>{local.text(departments.data?.departments.find((d) => d.id === c.departmentId)?.name ?? { zh: t('layout.none') })}</td>
                <td>{t(`layout.counterKinds.${c.kind}`)}</td>
                <td>{c.services.length}</td>
                <td>{local.list(c.queueIds.map((id) => queueList.find((q) => q.id === id)?.prefix ?? id))}</td>
                <td>
                  <button type="button" onClick={() => openCounter({ isNew: false, item: c })}>
                    {t('layout.edit')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {counterEdit && (
          <CounterEditor
            key={counterEdit.item.id}
            counter={counterEdit.item}
            services={serviceList}
            queues={queueList}
            departments={departments.data?.departments ?? []}
            onCancel={() => setCounterEdit(undefined)}
            onSave={(c) => void save('counters', c, counterEdit.isNew)}
          />
        )}
      </section>
    </div>
  );
}

function NameInputs(props: { name: { zh: string; en?: string }; onChange: (name: { zh: string; en?: string }) => void }) {
  const { t } = useTranslation();
  return (
    <>
      <label>
        {t('layout.name')} <input name="name" value={props.name.zh} required onChange={(e) => props.onChange({ ...props.name, zh: e.target.value })} />
      </label>
      <label>
        {t('layout.nameEn')}{' '}
        <input
          name="nameEn"
          value={props.name.en ?? ''}
          onChange={(e) => {
            const { en: _en, ...zh } = props.name;
            props.onChange(e.target.value ? { ...zh, en: e.target.value } : zh);
          }}
        />
      </label>
    </>
  );
}

function QueueEditor(props: { queue: Queue; services: Service[]; onSave: (q: Queue) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const local = useLocalized();
  const [q, setQ] = useState(props.queue);
  return (
    <div className="editor" data-testid="queue-editor">
      <div className="form-grid">
        <label>
          {t('layout.prefix')}{' '}
          <input name="prefix" value={q.prefix} maxLength={1} required className="short" onChange={(e) => setQ({ ...q, prefix: e.target.value.toUpperCase() })} />
        </label>
        <label>
          {t('layout.consultationPrefix')}{' '}
          <input
            name="consultationPrefix"
            value={q.consultationPrefix ?? ''}
            maxLength={1}
            className="short"
            title={t('layout.consultationPrefixHint')}
            onChange={(e) => {
              const { consultationPrefix: _old, ...rest } = q;
              const letter = e.target.value.toUpperCase();
              setQ(letter ? { ...rest, consultationPrefix: letter } : rest);
            }}
          />
        </label>
        <NameInputs name={q.name} onChange={(name) => setQ({ ...q, name })} />
        <label>
          {t('layout.digits')}{' '}
          <input type="number" name="numberDigits" min={2} max={4} className="short" value={q.numberDigits} onChange={(e) => setQ({ ...q, numberDigits: Number(e.target.value) })} />
        </label>
      </div>
      <fieldset>
        <legend>{t('layout.kinds')}</legend>
        {TICKET_KINDS.map((k) => (
          <label key={k} className="check">
            <input type="checkbox" checked={q.kinds.includes(k)} onChange={(e) => setQ({ ...q, kinds: toggled(q.kinds, k, e.target.checked) as TicketKind[] })} /> {t(`layout.ticketKinds.${k}`)}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('layout.services')}</legend>
        {props.services.map((s) => (
          <label key={s.id} className="check">
            <input type="checkbox" checked={q.serviceIds.includes(s.id)} onChange={(e) => setQ({ ...q, serviceIds: toggled(q.serviceIds, s.id, e.target.checked) })} /> {local.text(s.name)}
          </label>
        ))}
      </fieldset>
      <div className="toolbar">
        <button type="button" className="primary" data-testid="save-queue" onClick={() => props.onSave(q)}>
          {t('layout.save')}
        </button>
        <button type="button" className="link" onClick={props.onCancel}>
          {t('layout.cancel')}
        </button>
      </div>
    </div>
  );
}

function CounterEditor(props: { counter: Counter; services: Service[]; queues: Queue[]; departments: Department[]; onSave: (c: Counter) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const local = useLocalized();
  const [c, setC] = useState(props.counter);
  const priorityOf = new Map(c.services.map((s) => [s.serviceId, s.priority]));
  const setService = (serviceId: string, priority: number | null) => {
    if (priority === null) setC({ ...c, services: c.services.filter((s) => s.serviceId !== serviceId) });
    else if (priorityOf.has(serviceId)) setC({ ...c, services: c.services.map((s) => (s.serviceId === serviceId ? { serviceId, priority } : s)) });
    else setC({ ...c, services: [...c.services, { serviceId, priority }] });
  };
  return (
    <div className="editor" data-testid="counter-editor">
      <div className="form-grid">
        <label>
          {t('layout.number')} <input name="number" value={c.number} maxLength={8} required className="short" onChange={(e) => setC({ ...c, number: e.target.value })} />
        </label>
        <NameInputs name={c.name} onChange={(name) => setC({ ...c, name })} />
        <label>
          {t('layout.department')}{' '}
          <select
            name="department"
            value={c.departmentId ?? ''}
            onChange={(e) => {
              const { departmentId: _d, ...rest } = c;
              setC(e.target.value ? { ...rest, departmentId: e.target.value } : rest);
            }}
          >
            <option value="">{t('layout.none')}</option>
            {props.departments.map((d) => (
              <option key={d.id} value={d.id}>
                {local.text(d.name)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('layout.kind')}{' '}
          <select name="kind" value={c.kind} onChange={(e) => setC({ ...c, kind: e.target.value as CounterKind })}>
            {COUNTER_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`layout.counterKinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset>
        <legend>{t('layout.queueIds')}</legend>
        {props.queues.map((q) => (
          <label key={q.id} className="check">
            <input type="checkbox" name={`calls-${q.prefix}`} checked={c.queueIds.includes(q.id)} onChange={(e) => setC({ ...c, queueIds: toggled(c.queueIds, q.id, e.target.checked) })} /> {q.prefix} ·{' '}
            {local.text(q.name)}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>
          {t('layout.services')} / {t('layout.priority')}
        </legend>
        <div className="service-grid">
          {props.services.map((s) => {
            const priority = priorityOf.get(s.id);
            return (
              <label key={s.id} className="check" data-testid={`counter-service-${s.id}`}>
                <input type="checkbox" checked={priority !== undefined} onChange={(e) => setService(s.id, e.target.checked ? 1 : null)} /> {local.text(s.name)}
                {priority !== undefined && (
                  <input type="number" min={1} max={99} className="short" value={priority} onChange={(e) => setService(s.id, Number(e.target.value))} aria-label={`${local.text(s.name)} ${t('layout.priority')}`} />
                )}
              </label>
            );
          })}
        </div>
      </fieldset>
      <div className="toolbar">
        <button type="button" className="primary" data-testid="save-counter" onClick={() => props.onSave(c)}>
          {t('layout.save')}
        </button>
        <button type="button" className="link" onClick={props.onCancel}>
          {t('layout.cancel')}
        </button>
      </div>
    </div>
  );
}

function PriorityGroups(props: { rules: CallingRules; onSave: (groups: PriorityGroup[]) => Promise<void> }) {
  const { t } = useTranslation();
  const [groups, setGroups] = useState(props.rules.priorityGroups);
  useEffect(() => setGroups(props.rules.priorityGroups), [props.rules]);
  const set = (i: number, group: PriorityGroup) => setGroups(groups.map((g, j) => (j === i ? group : g)));
  return (
    <section className="card" data-testid="priority-groups">
      <div className="card-head">
        <h2>{t('layout.priorityGroups')}</h2>
        <button type="button" onClick={() => setGroups([...groups, { id: newId('group'), name: { zh: '' } }])}>
          {t('layout.addGroup')}
        </button>
      </div>
      {groups.map((g, i) => (
        <div key={g.id} className="row group-row">
          <input aria-label={t('layout.name')} className="group-name" value={g.name.zh} onChange={(e) => set(i, { ...g, name: { ...g.name, zh: e.target.value } })} />
          <label>
            {t('layout.minAge')}{' '}
            <input
              type="number"
              min={1}
              className="short"
              value={g.minAge ?? ''}
              onChange={(e) => {
                const { minAge: _m, ...rest } = g;
                set(i, e.target.value ? { ...rest, minAge: Number(e.target.value) } : rest);
              }}
            />
          </label>
          <button type="button" className="link danger" onClick={() => setGroups(groups.filter((_, j) => j !== i))}>
            ×
          </button>
        </div>
      ))}
      <button type="button" className="primary" data-testid="save-groups" onClick={() => void props.onSave(groups)}>
        {t('layout.save')}
      </button>
    </section>
  );
}
