import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { parseReceiptQr, type CaseFile, type CaseFileQuery } from '@hall/shared';
import { useRoleStation } from '@hall/ui';
import { useCaseCall } from './caseCall';
import { CaseSteps } from './CaseSteps';
import { useDesk } from './state';

const dateTime = (iso: string | undefined) => (iso ? new Date(iso).toLocaleString('zh-CN', { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }) : '');
const date = (iso: string | undefined) => (iso ? new Date(iso).toLocaleDateString('zh-CN') : '');

/** 办件查询: look a case up, or show the one found (by search, a scanned receipt, or the history). */
export function CaseFileScreen() {
  const { caseFileId, openCaseFile } = useDesk();
  return caseFileId ? <CaseFileView caseId={caseFileId} onBack={() => openCaseFile(undefined)} /> : <CaseSearch />;
}

/** A typed line is a receipt's QR text, an ID number (15/18 characters of digits and X) or a case number. */
function queryOf(text: string): CaseFileQuery {
  const line = text.trim();
  if (parseReceiptQr(line)) return { receipt: line };
  if (/^(\d{17}[\dXx]|\d{15})$/.test(line)) return { idNumber: line };
  return { number: line };
}

function CaseSearch() {
  const { t } = useTranslation();
  const station = useRoleStation<'counter'>();
  const { openCaseFile, error: scanError } = useDesk();
  const { call, error, busy } = useCaseCall();
  const [text, setText] = useState('');
  const [found, setFound] = useState<CaseFile[]>();
  const show = (cases: CaseFile[] | undefined) => {
    if (!cases) return;
    if (cases.length === 1 && cases[0]) openCaseFile(cases[0].caseId);
    else setFound(cases);
  };
  const search = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    show(await call(() => station.call('caseFile.find', queryOf(text))));
  };
  return (
    <main className="case-file panel" data-testid="case-search">
      <h2>{t('caseFile.heading')}</h2>
      <form className="row case-search-row" onSubmit={(e) => void search(e)}>
        <input data-testid="case-query" autoFocus placeholder={t('caseFile.query')} value={text} maxLength={200} onChange={(e) => setText(e.target.value)} />
        <button className="btn primary" type="submit" data-testid="case-find" disabled={busy || !text.trim()}>
          {t('caseFile.heading')}
        </button>
        <button className="btn" type="button" data-testid="case-find-card" disabled={busy} onClick={() => void call(() => station.call('caseFile.findByCard', {})).then(show)}>
          {t('caseFile.byCard')}
        </button>
      </form>
      <p className="muted">{t('caseFile.scanHint')}</p>
      {(error ?? scanError) && <p className="error" role="alert" data-testid="case-file-error">{error ?? scanError}</p>}
      {found && found.length === 0 && <p className="muted" data-testid="case-none">{t('caseFile.none')}</p>}
      {found && found.length > 1 && (
        <>
          <p>{t('caseFile.results', { count: found.length })}</p>
          <ul className="case-results" data-testid="case-results">
            {found.map((c) => (
              <li key={c.caseId}>
                <button className="btn" onClick={() => openCaseFile(c.caseId)}>
                  {c.number ?? (c.ticketNumber ? t('caseFile.ticket', { number: c.ticketNumber }) : '—')} · {c.serviceName} · {c.citizenMaskedName ?? '—'} · {t(`caseStatus.${c.status}`)} · {date(c.submittedAt)}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </main>
  );
}

/** Pulled steps (the back office's answer, approval) show up while the case is open: the station is asked again now and then. */
const REFRESH_MS = 3000;

function CaseFileView({ caseId, onBack }: { caseId: string; onBack: () => void }) {
  const { t } = useTranslation();
  const station = useRoleStation<'counter'>();
  const { call, error } = useCaseCall();
  const [file, setFile] = useState<CaseFile>();
  useEffect(() => {
    let live = true;
    const load = () =>
      station.call('caseFile.get', { caseId }).then(
        (f) => live && setFile(f),
        () => undefined,
      );
    void call(() => station.call('caseFile.get', { caseId })).then((f) => live && f && setFile(f));
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [station, caseId, call]);
  if (!file) return <main className="case-file panel">{error ? <p className="error" data-testid="case-file-error">{error}</p> : '…'}</main>;
  const overdue = file.dueAt !== undefined && file.stage !== 'done' && Date.parse(file.dueAt) < Date.now();
  return (
    <main className="case-file panel" data-testid="case-file" data-status={file.status} data-stage={file.stage}>
      <div className="case-file-head">
        <button className="btn ghost" data-testid="case-back" onClick={onBack}>
          ← {t('caseFile.back')}
        </button>
        <h2>
          {file.serviceName} <span className="num" data-testid="case-number">{file.number ?? ''}</span>
        </h2>
      </div>
      <dl className="case-facts">
        <dt>{t('caseFile.applicant')}</dt>
        <dd>{file.citizenMaskedName ?? '—'}</dd>
        <dt>{t('caseFile.status')}</dt>
        <dd>
          <span className={`pill pill-${file.status}`} data-testid="case-status">{t(`caseStatus.${file.status}`)}</span>
        </dd>
        <dt>{t('caseFile.stage')}</dt>
        <dd data-testid="case-stage">{t(`caseFile.stages.${file.stage}`)}</dd>
        <dt>{t('caseFile.due')}</dt>
        <dd className={overdue ? 'error' : ''} data-testid="case-due">
          {file.dueAt ? `${date(file.dueAt)}${overdue ? ` · ${t('caseFile.overdue')}` : ''}` : t('caseFile.noDue')}
        </dd>
        {file.delivery && (
          <>
            <dt>{t('caseFile.delivery')}</dt>
            <dd data-testid="case-delivery">{t(`caseFile.deliveries.${file.delivery}`)}</dd>
          </>
        )}
      </dl>
      <div className="case-file-cols">
        <section>
          <h3>{t('caseFile.materials')}</h3>
          <ul className="checklist" data-testid="case-materials">
            {file.materials.map((m) => (
              <li key={m.materialId} className={m.received ? 'received' : ''} data-testid={`case-material-${m.materialId}`}>
                <span className="mat-name">{m.name}</span>{' '}
                <span className="pill">{m.pending ? t('caseFile.pending') : m.received ? t('caseFile.received') : t('caseFile.missing')}</span>
                {m.pageCount > 0 && <span className="pill">{t('caseFile.pages', { count: m.pageCount })}</span>}
                {m.newPages > 0 && <span className="pill pill-new">{t('caseFile.newPages', { count: m.newPages })}</span>}
              </li>
            ))}
          </ul>
          {file.supplements.length > 0 && (
            <>
              <h3>{t('caseFile.supplements')}</h3>
              <ul className="case-supplements" data-testid="case-supplements">
                {file.supplements.map((s) => (
                  <li key={s.id} data-open={s.receivedAt === undefined}>
                    <div>{t('caseFile.requested', { at: dateTime(s.requestedAt), due: date(s.dueAt) })}</div>
                    <ul>
                      {s.items.map((i, n) => (
                        <li key={n}>
                          {i.materialName ? <b>{i.materialName}</b> : null} {i.note}
                        </li>
                      ))}
                    </ul>
                    <div className={s.receivedAt ? 'ok' : 'warn-text'}>
                      {s.receivedAt ? t('caseFile.receivedAt', { at: dateTime(s.receivedAt), counter: s.receivedAtCounterNumber ?? '' }) : t('caseFile.open')}
                    </div>
                  </li>
                ))}
              </ul>
            </>
          )}
          <CaseRecords file={file} />
        </section>
        <section>
          <h3>{t('caseFile.timeline')}</h3>
          <ol className="case-timeline" data-testid="case-timeline">
            {file.timeline.map((s, i) => (
              <li key={i} data-kind={s.kind}>
                <span className="tl-at">{dateTime(s.at)}</span> <b>{t(`caseFile.steps_.${s.kind}`)}</b>
                {s.counterNumber ? ` · ${t('caseFile.counterNo', { number: s.counterNumber })}` : ''}
                {s.note ? <div className="tl-note">{s.note}</div> : null}
              </li>
            ))}
          </ol>
        </section>
        <section>
          <CaseSteps file={file} onChange={setFile} />
        </section>
      </div>
    </main>
  );
}

/** Consultation, collection record and withdrawal, when the case has them. */
function CaseRecords({ file }: { file: CaseFile }) {
  const { t } = useTranslation();
  const h = file.handover;
  return (
    <>
      {file.consult && (
        <>
          <h3>{t('caseFile.consult')}</h3>
          <p data-testid="case-consult" data-consult={file.consult.status}>
            {file.consult.status === 'pending'
              ? t('caseFile.consultPending', { question: file.consult.question })
              : t('caseFile.consultAnswered', { verdict: t(`caseFile.${file.consult.status === 'approved' ? 'approve' : 'refuse'}`), answer: file.consult.answer ?? '' })}
          </p>
        </>
      )}
      {h && (
        <>
          <h3>{t('caseFile.handover')}</h3>
          <p data-testid="case-handover">
            {h.method === 'counter'
              ? `${t('caseFile.handoverCounter', { who: t(h.proxy ? 'caseFile.proxy' : 'caseFile.own'), name: h.maskedName ?? '' })}${h.hasPhoto ? ` · ${t('caseFile.photo')}` : ''}`
              : h.method === 'post'
                ? t('caseFile.handoverPost', { courier: h.courier ?? '', tracking: h.trackingNumber ?? '' })
                : t('caseFile.handoverOther', { method: t(`caseFile.deliveries.${h.method}`) })}
          </p>
        </>
      )}
      {file.withdrawal && (
        <>
          <h3>{t('caseFile.withdrawal')}</h3>
          <p data-testid="case-withdrawal">
            {t(`caseFile.causes.${file.withdrawal.cause}`)}：
            {t(file.withdrawal.approvedAt ? 'caseFile.withdrawalDone' : 'caseFile.withdrawalPending', { reason: file.withdrawal.reason })}
          </p>
        </>
      )}
    </>
  );
}
