import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseWork, FormField, Ticket } from '@hall/shared';
import { localized, useStation, useStationEvent } from '@hall/ui';
import { Capture } from './Capture';
import { useDesk } from './state';

export function ServingView({ ticket }: { ticket: Ticket }) {
  const { t, i18n } = useTranslation();
  const station = useStation();
  const { catalogue, run } = useDesk();
  const [cases, setCases] = useState<CaseWork[]>([]);
  const [selected, setSelected] = useState<string>();
  const reload = useCallback(async () => {
    const list = await run(() => station.call('case.listForTicket', { ticketId: ticket.id }));
    if (list) {
      setCases(list);
      setSelected((s) => (s && list.some((c) => c.caseId === s) ? s : list[0]?.caseId));
    }
  }, [station, ticket.id, run]);
  useEffect(() => {
    void reload();
  }, [reload, ticket.serviceIds.length]);
  // A residence code read on the scanner was recorded on this ticket's cases by the station.
  useStationEvent('counter.residenceCode', (scan) => {
    if (scan.ticketId === ticket.id && scan.caseIds.length > 0) void reload();
  });
  const update = (next: CaseWork) => setCases((list) => list.map((c) => (c.caseId === next.caseId ? next : c)));
  const withoutCase = ticket.serviceIds.filter((id) => !cases.some((c) => c.serviceId === id));
  const serviceName = (id: string) => {
    const s = catalogue?.services.find((x) => x.id === id);
    return s ? localized(s.name, i18n.language) : id;
  };
  const open = async (serviceId: string) => {
    const created = await run(() => station.call('case.open', { ticketId: ticket.id, serviceId }));
    if (created) {
      setCases((list) => [...list, created]);
      setSelected(created.caseId);
    }
  };
  const current = cases.find((c) => c.caseId === selected);
  const priority = ticket.priorityGroupId ? catalogue?.callingRules.priorityGroups.find((g) => g.id === ticket.priorityGroupId) : undefined;
  return (
    <div className="panel serving" data-testid="serving-view">
      <div className="serving-head">
        <h2>
          {t('serving.heading')} · <span data-testid="serving-number">{ticket.number}</span>
        </h2>
        <div className="facts">
          <span>
            {t('serving.citizen')}: <b data-testid="serving-citizen">{ticket.citizen?.maskedName ?? '—'}</b>
          </span>
          <span data-testid="serving-appointment">{ticket.appointmentId ? `${t('serving.appointment')} ✓` : t('serving.walkIn')}</span>
          {priority && <span className="pill">{localized(priority.name, i18n.language)}</span>}
        </div>
      </div>
      <div className="case-tabs">
        {cases.map((c) => (
          <button key={c.caseId} className={`tab ${c.caseId === selected ? 'active' : ''}`} data-testid="case-tab" onClick={() => setSelected(c.caseId)}>
            {c.serviceName}
            <span className={`pill pill-${c.status}`}>{t(`caseStatus.${c.status}`)}</span>
          </button>
        ))}
        {withoutCase.map((id) => (
          <button key={id} className="tab add" data-testid={`open-case-${id}`} onClick={() => void open(id)}>
            + {t('serving.openCase')} {serviceName(id)}
          </button>
        ))}
      </div>
      {cases.length === 0 && <p className="muted">{t('serving.noCase')}</p>}
      {current && <CaseEditor key={current.caseId} work={current} onChange={update} />}
    </div>
  );
}

function CaseEditor({ work, onChange }: { work: CaseWork; onChange: (w: CaseWork) => void }) {
  const { t } = useTranslation();
  const station = useStation();
  const { catalogue, run, showSlip, error } = useDesk();
  const decided = work.status === 'accepted' || work.status === 'refused';
  const missing = work.checklist.filter((m) => m.required && !m.received);
  const tick = async (materialId: string, received: boolean) => {
    // Shown ticked at once; the station's answer (or the old state, if it refused) follows.
    const before = work;
    onChange({ ...work, checklist: work.checklist.map((m) => (m.materialId === materialId ? { ...m, received } : m)) });
    const next = await run(() => station.call('case.checkMaterial', { caseId: work.caseId, materialId, received }));
    onChange(next ?? before);
  };
  const accept = async () => {
    const result = await run(() => station.call('case.accept', { caseId: work.caseId }));
    if (result) {
      onChange(result.case);
      showSlip(result.receipt);
    }
  };
  const refuse = async () => {
    const result = await run(() => station.call('case.refuse', { caseId: work.caseId }));
    if (result) {
      onChange(result.case);
      showSlip(result.notice);
    }
  };
  const [phone, setPhone] = useState('');
  const [size, setSize] = useState<'small' | 'medium' | 'large'>('medium');
  const deliver = async (delivery: 'counter' | 'post' | 'locker') => {
    const locker = delivery === 'locker' ? { ...(phone.trim() ? { phone: phone.trim() } : {}), size } : {};
    const result = await run(() => station.call('case.setDelivery', { caseId: work.caseId, delivery, ...locker }));
    if (result) {
      onChange(result.case);
      if (result.slip) showSlip(result.slip);
    }
  };
  const form = catalogue?.forms.find((f) => f.id === work.formId);
  return (
    <div className="case-editor" data-testid="case-editor" data-status={work.status}>
      <div className="case-col">
        {work.situationName && (
          <p>
            {t('serving.situation')}: <b data-testid="case-situation">{work.situationName}</b>
          </p>
        )}
        {work.answers.length > 0 && (
          <details open>
            <summary>{t('serving.answers')}</summary>
            <ul className="answers">
              {work.answers.map((a) => (
                <li key={a.question}>
                  {a.question} — <b>{a.options.join('、')}</b>
                </li>
              ))}
            </ul>
          </details>
        )}
        <Identity work={work} onChange={onChange} disabled={decided} />
        {form && <FormEditor work={work} fields={form.sections.flatMap((s) => s.fields)} onChange={onChange} disabled={decided} />}
      </div>
      <div className="case-col">
        <h3>{t('serving.checklist')}</h3>
        <ul className="checklist" data-testid="checklist">
          {work.checklist.map((m) => (
            <li key={m.materialId} className={m.received ? 'received' : ''}>
              <label>
                <input
                  type="checkbox"
                  data-testid={`material-${m.materialId}`}
                  checked={m.received}
                  disabled={decided}
                  onChange={(e) => void tick(m.materialId, e.target.checked)}
                />
                <span className="mat-name">{m.name}</span>
                <span className={`pill ${m.required ? 'pill-required' : ''}`}>{m.required ? t('serving.required') : t('serving.optional')}</span>
                {m.pages.length > 0 && <span className="pill">{t('capture.pages', { count: m.pages.length })}</span>}
              </label>
            </li>
          ))}
        </ul>
        {!decided && (
          <div className="decide">
            {missing.length > 0 && <p className="warn-text">{t('serving.missingHint', { names: missing.map((m) => m.name).join('、') })}</p>}
            <button className="btn primary big" data-testid="case-accept" disabled={missing.length > 0} onClick={() => void accept()}>
              {t('serving.accept')}
            </button>
            <button className="btn warn big" data-testid="case-refuse" disabled={missing.length === 0} onClick={() => void refuse()}>
              {t('serving.refuse')}
            </button>
          </div>
        )}
        {work.status === 'accepted' && (
          <div className="accepted" data-testid="case-accepted">
            <p className="ok">{t('serving.accepted', { number: work.caseNumber ?? '' })}</p>
            <h3>{t('serving.delivery')}</h3>
            <div className="choices">
              {(['counter', 'post', 'locker'] as const).map((d) => (
                <button key={d} className={`btn ${work.delivery === d ? 'primary' : ''}`} data-testid={`delivery-${d}`} onClick={() => void deliver(d)}>
                  {t(`serving.delivery${d[0]?.toUpperCase()}${d.slice(1)}`)}
                </button>
              ))}
            </div>
            <div className="row locker-row">
              <input data-testid="delivery-phone" placeholder={t('serving.phone')} value={phone} maxLength={11} inputMode="numeric" onChange={(e) => setPhone(e.target.value)} />
              <select data-testid="delivery-size" value={size} onChange={(e) => setSize(e.target.value as typeof size)}>
                {(['small', 'medium', 'large'] as const).map((s) => (
                  <option key={s} value={s}>
                    {t(`serving.size.${s}`)}
                  </option>
                ))}
              </select>
            </div>
            {work.depositCode && (
              <p data-testid="deposit-code" data-code={work.depositCode}>
                {t('serving.depositIssued', { until: (work.depositCodeExpiresAt ?? '').slice(0, 10) })}
              </p>
            )}
            {error && <p className="error" data-testid="case-error">{error}</p>}
          </div>
        )}
        {work.status === 'refused' && <p className="error">{t('serving.refused', { reason: work.refusalReason ?? '' })}</p>}
        <Capture work={work} onChange={onChange} />
      </div>
    </div>
  );
}

function Identity({ work, onChange, disabled }: { work: CaseWork; onChange: (w: CaseWork) => void; disabled: boolean }) {
  const { t } = useTranslation();
  const station = useStation();
  const { run } = useDesk();
  const [idNumber, setIdNumber] = useState('');
  const [name, setName] = useState('');
  const check = async (method: 'id_card' | 'residence_code' | 'manual') => {
    const typed = method === 'id_card' ? {} : { idNumber: idNumber.trim(), ...(name.trim() ? { name: name.trim() } : {}) };
    const next = await run(() => station.call('case.checkIdentity', { caseId: work.caseId, method, ...typed }));
    if (next) {
      onChange(next);
      setIdNumber('');
      setName('');
    }
  };
  const id = work.identity;
  return (
    <div className="identity" data-testid="identity">
      <h3>{t('serving.identity')}</h3>
      {id && (
        <p className={id.matchesTicket === false ? 'error' : 'ok'} data-testid="identity-result" data-match={String(id.matchesTicket)}>
          <span className="pill" data-testid="identity-method">{t(`serving.method.${id.method}`)}</span>{' '}
          {[id.maskedName, id.maskedIdNumber].filter((part) => part && part !== '—').map((part) => `${part} · `)}
          {id.matchesTicket === null ? t('serving.noRef') : id.matchesTicket ? t('serving.match') : t('serving.mismatch')}
        </p>
      )}
      {!disabled && !id && <p className="muted small-note">{t('serving.scanHint')}</p>}
      {!disabled && (
        <div className="row">
          <button className="btn" data-testid="identity-card" onClick={() => void check('id_card')}>
            {t('serving.readCard')}
          </button>
          <input
            data-testid="identity-number"
            placeholder={t('serving.idNumber')}
            value={idNumber}
            maxLength={18}
            autoComplete="off"
            onChange={(e) => setIdNumber(e.target.value)}
          />
          <input data-testid="identity-name" className="short" placeholder={t('serving.name')} value={name} maxLength={32} autoComplete="off" onChange={(e) => setName(e.target.value)} />
          <button className="btn" data-testid="identity-manual" disabled={idNumber.trim().length < 15} onClick={() => void check('manual')}>
            {t('serving.check')}
          </button>
        </div>
      )}
    </div>
  );
}

function FormEditor({ work, fields, onChange, disabled }: { work: CaseWork; fields: FormField[]; onChange: (w: CaseWork) => void; disabled: boolean }) {
  const { t, i18n } = useTranslation();
  const station = useStation();
  const { run } = useDesk();
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const value = (f: FormField) => draft[f.id] ?? (work.values[f.id] === undefined ? '' : String(work.values[f.id]));
  const save = async () => {
    const next = await run(() => station.call('case.updateForm', { caseId: work.caseId, values: draft }));
    if (next) {
      onChange(next);
      setDraft({});
      setSaved(true);
    }
  };
  return (
    <details className="form-editor" open data-testid="form-editor">
      <summary>{t('serving.form')}</summary>
      <div className="form-grid">
        {fields.slice(0, 12).map((f) => (
          <label key={f.id}>
            {localized(f.label, i18n.language)}
            {f.required && ' *'}
            <input
              data-testid={`field-${f.id}`}
              value={value(f)}
              disabled={disabled}
              onChange={(e) => {
                setSaved(false);
                setDraft((d) => ({ ...d, [f.id]: e.target.value }));
              }}
            />
          </label>
        ))}
      </div>
      {!disabled && (
        <button className="btn" data-testid="form-save" disabled={Object.keys(draft).length === 0} onClick={() => void save()}>
          {saved ? t('serving.saved') : t('serving.save')}
        </button>
      )}
    </details>
  );
}
