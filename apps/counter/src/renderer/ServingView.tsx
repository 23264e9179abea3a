import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { rejectionCode, virtualTicketNumber, type CaseFormResult, type CaseWork, type FormField, type FormSection, type Ticket } from '@hall/shared';
import { localized, useRoleStation, useStationEvent } from '@hall/ui';
import { AcceptOptions } from './AcceptOptions';
import { Capture } from './Capture';
import { originKey } from './KindPill';
import { TicketMatterList } from './Matters';
import { rejectionText } from './rejection';
import { useDesk } from './state';

export function ServingView({ ticket }: { ticket: Ticket }) {
  const { t, i18n } = useTranslation();
  const station = useRoleStation<'counter'>();
  const { catalogue, run } = useDesk();
  const [cases, setCases] = useState<CaseWork[]>([]);
  const [selected, setSelected] = useState<string>();
  const [kiosk, setKiosk] = useState<KioskForms>({ status: 'loading' });
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
  // 回显: the kiosk's form comes from the central API; the station makes it the cases' working values.
  useEffect(() => {
    let live = true;
    setKiosk({ status: 'loading' });
    station.call('case.form', { ticketId: ticket.id }).then(
      (result) => {
        if (!live) return;
        setKiosk(kioskForms(result));
        if (result.forms.length > 0) void reload();
      },
      (error: unknown) =>
        live && setKiosk({ status: rejectionCode(error) === 'not_found' ? 'not_found' : 'offline', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, [station, ticket.id, reload]);
  // A residence code read on the scanner was recorded on this ticket's cases by the station.
  useStationEvent('counter.residenceCode', (scan) => {
    if (scan.ticketId === ticket.id && scan.caseIds.length > 0) void reload();
  });
  // A decision the central API rejected was undone by the station: show the case as it now stands.
  useStationEvent('mutation.rejected', (r) => {
    if (['acceptCase', 'refuseCase', 'chooseDelivery'].includes(r.type)) void reload();
  });
  const update = (next: CaseWork) => setCases((list) => list.map((c) => (c.caseId === next.caseId ? next : c)));
  const withoutCase = ticket.serviceIds.filter((id) => !cases.some((c) => c.serviceId === id));
  const serviceName = (id: string) => {
    const s = catalogue?.services.find((x) => x.id === id);
    return s ? localized(s.name, i18n.language) : id;
  };
  // 主从号 on the case tabs: which matter of the ticket each case is.
  const several = ticket.serviceIds.length > 1;
  const subNumber = (serviceId: string) => virtualTicketNumber(ticket.number, Math.max(0, ticket.serviceIds.indexOf(serviceId)));
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
          <span data-testid="serving-appointment">{ticket.appointmentId ? `${t('serving.appointment')} ✓` : t(originKey(ticket))}</span>
          {priority && <span className="pill">{localized(priority.name, i18n.language)}</span>}
        </div>
      </div>
      <TicketMatterList ticket={ticket} />
      <div className="case-tabs">
        {cases.map((c) => (
          <button key={c.caseId} className={`tab ${c.caseId === selected ? 'active' : ''}`} data-testid="case-tab" onClick={() => setSelected(c.caseId)}>
            {several && <b className="matter-number">{subNumber(c.serviceId)} </b>}
            {c.serviceName}
            <span className={`pill pill-${c.status}`}>{t(`caseStatus.${c.status}`)}</span>
          </button>
        ))}
        {withoutCase.map((id) => (
          <button key={id} className="tab add" data-testid={`open-case-${id}`} onClick={() => void open(id)}>
            + {t('serving.openCase')} {several && `${subNumber(id)} `}
            {serviceName(id)}
          </button>
        ))}
      </div>
      {cases.length === 0 && <p className="muted">{t('serving.noCase')}</p>}
      {current && <CaseEditor key={current.caseId} work={current} kiosk={kiosk} onChange={update} />}
    </div>
  );
}

/** What the central API returned for the kiosk's forms, by case. */
type KioskForms =
  | { status: 'loading' }
  | { status: 'ok'; byCase: Record<string, { values: CaseWork['values']; submittedAt: string }> }
  | { status: 'offline' | 'not_found'; message: string };

function kioskForms(result: CaseFormResult): KioskForms {
  return { status: 'ok', byCase: Object.fromEntries(result.forms.map((f) => [f.caseId, { values: f.values, submittedAt: f.submittedAt }])) };
}

function CaseEditor({ work, kiosk, onChange }: { work: CaseWork; kiosk: KioskForms; onChange: (w: CaseWork) => void }) {
  const { t } = useTranslation();
  const station = useRoleStation<'counter'>();
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
  const [draft, setDraft] = useState<Record<string, string>>({});
  const saveDraft = async (): Promise<boolean> => {
    if (Object.keys(draft).length === 0) return true;
    const next = await run(() => station.call('case.updateForm', { caseId: work.caseId, values: draft }));
    if (!next) return false;
    onChange(next);
    setDraft({});
    return true;
  };
  const accept = async () => {
    // Edits not yet saved go with the acceptance too: the clerk should not lose a correction to a missed click.
    if (!(await saveDraft())) return;
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
        {form && (
          <FormEditor
            work={work}
            sections={form.sections}
            kiosk={kiosk}
            draft={draft}
            setDraft={setDraft}
            save={saveDraft}
            disabled={decided}
          />
        )}
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
            <button className="btn primary big" data-testid="case-accept" disabled={missing.length > 0 || work.consult?.status === 'pending'} onClick={() => void accept()}>
              {t('serving.accept')}
            </button>
            {Object.keys(draft).length > 0 && <p className="muted small-note" data-testid="unsaved-note">{t('form.unsavedGoesWithAccept')}</p>}
            <button className="btn warn big" data-testid="case-refuse" disabled={missing.length === 0} onClick={() => void refuse()}>
              {t('serving.refuse')}
            </button>
            <AcceptOptions work={work} onChange={onChange} onReceipt={showSlip} beforeAccept={saveDraft} />
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
        {work.centralRejection && (
          <p className="error" data-testid="case-central-rejection">
            {rejectionText(t, work.centralRejection)}
          </p>
        )}
        {work.status === 'refused' && <p className="error">{t('serving.refused', { reason: work.refusalReason ?? '' })}</p>}
        {/* Pages may still be added after acceptance (a late page), never to a refused case. */}
        {work.status !== 'refused' && <Capture work={work} onChange={onChange} />}
      </div>
    </div>
  );
}

function Identity({ work, onChange, disabled }: { work: CaseWork; onChange: (w: CaseWork) => void; disabled: boolean }) {
  const { t } = useTranslation();
  const station = useRoleStation<'counter'>();
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
      {id?.standing && (
        <p className={id.standing.barred ? 'error' : 'muted small-note'} data-testid="identity-standing" data-barred={String(Boolean(id.standing.barred))}>
          {t('serving.standing', { noShows: id.standing.noShows, days: id.standing.windowDays })}
          {id.standing.barred && ` · ${t('serving.barred', { until: id.standing.barred.until, reason: id.standing.barred.reason })}`}
        </p>
      )}
      {!id && <p className="muted small-note">{disabled ? t('serving.notChecked') : t('serving.scanHint')}</p>}
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

interface FormEditorProps {
  work: CaseWork;
  sections: FormSection[];
  kiosk: KioskForms;
  draft: Record<string, string>;
  setDraft: (update: (d: Record<string, string>) => Record<string, string>) => void;
  save: () => Promise<boolean>;
  disabled: boolean;
}

/**
 * 回显: the form as the citizen filled it at the kiosk, editable here. Personal fields come
 * masked (the screen faces the citizen too); typing over one replaces it. A field changed
 * at the counter is marked, and unsaved changes are saved with the acceptance.
 */
function FormEditor({ work, sections, kiosk, draft, setDraft, save, disabled }: FormEditorProps) {
  const { t, i18n } = useTranslation();
  const [saved, setSaved] = useState(false);
  const kioskValues = kiosk.status === 'ok' ? kiosk.byCase[work.caseId]?.values : undefined;
  const fromKiosk = kioskValues && Object.keys(kioskValues).length > 0 ? kioskValues : undefined;
  const text = (v: CaseWork['values'][string] | undefined) => (v === undefined ? '' : Array.isArray(v) ? v.join('、') : String(v));
  const value = (f: FormField) => draft[f.id] ?? text(work.values[f.id]);
  const fromCode = (f: FormField) => !disabled && !(f.id in draft) && (work.fromResidenceCode?.includes(f.id) ?? false);
  const changed = (f: FormField) => !fromCode(f) && !disabled && (f.id in draft || (fromKiosk !== undefined && text(work.values[f.id]) !== text(fromKiosk[f.id])));
  const edit = (id: string, v: string) => {
    setSaved(false);
    setDraft((d) => ({ ...d, [id]: v }));
  };
  const source =
    kiosk.status === 'loading'
      ? t('form.loading')
      : kiosk.status === 'ok'
        ? fromKiosk
          ? t('form.fromKiosk')
          : t('form.noKioskForm')
        : kiosk.status === 'offline'
          ? t('form.offline')
          : t('form.noKioskForm');
  return (
    <details className="form-editor" open data-testid="form-editor">
      <summary>
        {disabled ? t('serving.formDecided') : t('serving.form')}{' '}
        <span className={`pill ${kiosk.status === 'offline' ? 'pill-missed' : ''}`} data-testid="form-source" data-status={fromKiosk ? 'kiosk' : kiosk.status}>
          {source}
        </span>
      </summary>
      {/* The accepted form left with the acceptance; the counter keeps no copy of the personal data. */}
      {work.status === 'accepted' && Object.keys(work.values).length === 0 && (
        <p className="muted" data-testid="form-sent">
          {t('form.sentWithAcceptance')}
        </p>
      )}
      {!(work.status === 'accepted' && Object.keys(work.values).length === 0) && sections.map((section) => (
        <fieldset key={section.id} className="form-section">
          {sections.length > 1 && <legend>{localized(section.title, i18n.language)}</legend>}
          <div className="form-grid">
            {section.fields.map((f) => (
              <label key={f.id} className={changed(f) ? 'changed' : ''}>
                <span className="field-label">
                  {localized(f.label, i18n.language)}
                  {f.required && ' *'}
                  {changed(f) && <span className="pill pill-changed">{t('form.changed')}</span>}
                  {fromCode(f) && (
                    <span className="pill pill-code" data-testid={`from-code-${f.id}`}>
                      {t('form.fromCode')}
                    </span>
                  )}
                </span>
                <FieldInput field={f} value={value(f)} disabled={disabled} onChange={(v) => edit(f.id, v)} />
              </label>
            ))}
          </div>
        </fieldset>
      ))}
      {!disabled && (
        <button
          className="btn"
          data-testid="form-save"
          disabled={Object.keys(draft).length === 0}
          onClick={() => void save().then((ok) => setSaved(ok))}
        >
          {saved ? t('serving.saved') : t('serving.save')}
        </button>
      )}
    </details>
  );
}

function FieldInput({ field, value, disabled, onChange }: { field: FormField; value: string; disabled: boolean; onChange: (v: string) => void }) {
  const { i18n } = useTranslation();
  const common = { 'data-testid': `field-${field.id}`, disabled, value };
  if (field.kind === 'choice' && field.options && !field.multiple) {
    const known = field.options.some((o) => o.value === value);
    return (
      <select {...common} onChange={(e) => onChange(e.target.value)}>
        <option value="">—</option>
        {!known && value !== '' && <option value={value}>{value}</option>}
        {field.options.map((o) => (
          <option key={o.value} value={o.value}>
            {localized(o.label, i18n.language)}
          </option>
        ))}
      </select>
    );
  }
  const type = field.kind === 'date' ? 'date' : field.kind === 'number' ? 'number' : 'text';
  return (
    <input
      {...common}
      type={type}
      autoComplete="off"
      {...(field.maxLength ? { maxLength: field.maxLength } : {})}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
