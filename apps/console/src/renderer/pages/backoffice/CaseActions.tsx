import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiFailure, request } from '../../api';
import type { PageProps } from '../../App';
import { FeedbackLine, toggled, type Feedback } from '../../Feedback';
import { isManaging } from '../../roles';
import type { CaseAction, CaseDetail } from './types';

/** The server explains a refused step with a code (409 from the lifecycle rules, 400/403/404 from the route): say it plainly. */
export function useCaseErrorText() {
  const { t, i18n } = useTranslation();
  return (e: unknown): string => {
    if (!(e instanceof ApiFailure)) return t('backoffice.errors.other', { message: String(e) });
    const key = `backoffice.errors.${e.code}`;
    return i18n.exists(key) ? t(key, { message: e.message }) : t('backoffice.errors.other', { message: e.message });
  };
}

/**
 * What the department does with a case in its present status. The lifecycle rules on the
 * server decide; offering only the steps that can succeed keeps the desk uncluttered.
 */
export function CaseActions(props: PageProps & { detail: CaseDetail; onDone: () => void }) {
  const { session, hallId, detail } = props;
  const { t } = useTranslation();
  const errorText = useCaseErrorText();
  const [feedback, setFeedback] = useState<Feedback>();
  const [busy, setBusy] = useState(false);
  const kase = detail.case;
  const officer = session.staff.roles.includes('officer');
  const manager = isManaging(session.staff.roles);
  const act = async (action: CaseAction, body: Record<string, unknown>): Promise<boolean> => {
    setBusy(true);
    try {
      await request(session, 'POST', `/halls/${hallId}/back-office/cases/${kase.id}/${action}`, body);
      setFeedback({ ok: true, text: t(`backoffice.done.${action}`) });
      props.onDone();
      return true;
    } catch (e) {
      setFeedback({ ok: false, text: errorText(e) });
      return false;
    } finally {
      setBusy(false);
    }
  };
  const s = kase.status;
  const withdrawalWaiting = kase.withdrawal !== undefined && kase.withdrawal.approvedAt === undefined;
  const instant = (detail.service?.promisedDays ?? 1) === 0;
  const panels: ReactNode[] = [];
  if (officer && s === 'submitted' && kase.consult?.status === 'pending') panels.push(<AnswerConsult key="answer" busy={busy} act={act} />);
  const special = kase.specialProcedures.find((p) => p.endedAt === undefined);
  if (officer && s === 'accepted' && special) panels.push(<NoteAction key="special-end" action="special-end" label={t('backoffice.specialEnd')} placeholder={t('backoffice.specialEndNote')} busy={busy} act={act} primary />);
  if (officer && s === 'accepted' && !special) panels.push(<NoteAction key="approve" action="approve" label={t('backoffice.approve')} placeholder={t('backoffice.approveNote')} busy={busy} act={act} primary />);
  if (officer && s === 'accepted' && !special) panels.push(<SpecialForm key="special" busy={busy} act={act} />);
  if (officer && (s === 'approved' || (s === 'accepted' && instant))) panels.push(<NoteAction key="complete" action="complete" label={t('backoffice.complete')} placeholder={t('backoffice.completeNote')} busy={busy} act={act} primary />);
  if (officer && (s === 'accepted' || s === 'approved')) panels.push(<SupplementForm key="supplement" detail={detail} busy={busy} act={act} />);
  if (officer && (s === 'accepted' || s === 'supplement_requested')) panels.push(<DenyForm key="deny" busy={busy} act={act} />);
  if (officer && ['accepted', 'supplement_requested', 'approved'].includes(s)) panels.push(<TransferForm key="transfer" detail={detail} self={session.staff.id} busy={busy} act={act} />);
  if (manager && withdrawalWaiting) {
    panels.push(
      <div key="withdrawal" className="action">
        <button type="button" className="primary" disabled={busy} onClick={() => void act('approve-withdrawal', {})} data-testid="bo-approve-withdrawal">
          {t('backoffice.approveWithdrawal')}
        </button>
      </div>,
    );
  }
  if (panels.length === 0 && !feedback) return null;
  return (
    <section className="card case-actions" data-testid="bo-actions">
      <h3>{t('backoffice.actions')}</h3>
      <FeedbackLine feedback={feedback} testId="bo-feedback" />
      <div className="actions-grid">{panels}</div>
    </section>
  );
}

type Act = (action: CaseAction, body: Record<string, unknown>) => Promise<boolean>;

function NoteAction(props: { action: CaseAction; label: string; placeholder: string; busy: boolean; act: Act; primary?: boolean }) {
  const [note, setNote] = useState('');
  return (
    <form
      className="action"
      onSubmit={(e) => {
        e.preventDefault();
        void props.act(props.action, note.trim() ? { note: note.trim() } : {}).then((ok) => ok && setNote(''));
      }}
    >
      <input value={note} placeholder={props.placeholder} onChange={(e) => setNote(e.target.value)} maxLength={500} data-testid={`bo-${props.action}-note`} />
      <button type="submit" className={props.primary ? 'primary' : ''} disabled={props.busy} data-testid={`bo-${props.action}`}>
        {props.label}
      </button>
    </form>
  );
}

/** 特殊程序: hearing, expert review, inspection … with its own limit; the review clock waits. */
function SpecialForm(props: { busy: boolean; act: Act }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<'hearing' | 'expert_review' | 'inspection' | 'other'>('expert_review');
  const [reason, setReason] = useState('');
  const [days, setDays] = useState(10);
  return (
    <form
      className="action"
      onSubmit={(e) => {
        e.preventDefault();
        void props.act('special-start', { kind, reason: reason.trim(), days });
      }}
    >
      <select value={kind} onChange={(e) => setKind(e.target.value as typeof kind)} data-testid="bo-special-kind">
        {(['hearing', 'expert_review', 'inspection', 'other'] as const).map((k) => (
          <option key={k} value={k}>
            {t(`backoffice.specialKinds.${k}`)}
          </option>
        ))}
      </select>
      <input value={reason} placeholder={t('backoffice.specialReason')} onChange={(e) => setReason(e.target.value)} maxLength={200} data-testid="bo-special-reason" />
      <label>
        {t('backoffice.specialDays')} <input type="number" min={1} max={180} value={days} onChange={(e) => setDays(Number(e.target.value))} data-testid="bo-special-days" />
      </label>
      <button type="submit" disabled={props.busy || reason.trim() === ''} data-testid="bo-special-start">
        {t('backoffice.specialStart')}
      </button>
    </form>
  );
}

function DenyForm(props: { busy: boolean; act: Act }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  return (
    <form
      className="action"
      onSubmit={(e) => {
        e.preventDefault();
        void props.act('deny', { reason: reason.trim() });
      }}
    >
      <input value={reason} placeholder={t('backoffice.denyReason')} onChange={(e) => setReason(e.target.value)} maxLength={500} data-testid="bo-deny-reason" />
      <button type="submit" className="danger" disabled={props.busy} data-testid="bo-deny">
        {t('backoffice.deny')}
      </button>
    </form>
  );
}

function SupplementForm(props: { detail: CaseDetail; busy: boolean; act: Act }) {
  const { t } = useTranslation();
  const [picked, setPicked] = useState<string[]>([]);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [free, setFree] = useState('');
  const earlier = props.detail.case.supplements.length;
  const send = () => {
    const items = [
      ...picked.map((id) => {
        // A ticked material with no note still tells the citizen what to bring: its name.
        return { materialId: id, note: notes[id]?.trim() || (props.detail.materials.find((m) => m.id === id)?.name ?? id) };
      }),
      ...free
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .map((note) => ({ note })),
    ];
    void props.act('supplement', { items }).then((ok) => {
      if (!ok) return;
      setPicked([]);
      setNotes({});
      setFree('');
    });
  };
  return (
    <form
      className="action supplement-form"
      data-testid="bo-supplement-form"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <strong>{t('backoffice.supplement')}</strong>
      {earlier > 0 && <p className="error small">{t('backoffice.supplementRepeat', { count: earlier })}</p>}
      <span className="muted small">{t('backoffice.supplementPick')}</span>
      <div className="supplement-items">
        {props.detail.materials.map((m) => (
          <div key={m.id} className="supplement-item">
            <label>
              <input type="checkbox" checked={picked.includes(m.id)} onChange={(e) => setPicked(toggled(picked, m.id, e.target.checked))} data-testid={`bo-pick-${m.id}`} />{' '}
              {m.name}
            </label>
            {picked.includes(m.id) && (
              <input value={notes[m.id] ?? ''} placeholder={t('backoffice.supplementNote')} maxLength={200} onChange={(e) => setNotes({ ...notes, [m.id]: e.target.value })} data-testid={`bo-pick-note-${m.id}`} />
            )}
          </div>
        ))}
      </div>
      <textarea rows={2} value={free} placeholder={t('backoffice.supplementFree')} onChange={(e) => setFree(e.target.value)} data-testid="bo-supplement-free" />
      <button type="submit" disabled={props.busy || (picked.length === 0 && free.trim() === '')} data-testid="bo-supplement-send">
        {t('backoffice.supplementSend')}
      </button>
    </form>
  );
}

function TransferForm(props: { detail: CaseDetail; self: string; busy: boolean; act: Act }) {
  const { t } = useTranslation();
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  const others = props.detail.officers.filter((o) => o.id !== props.self && o.id !== props.detail.case.assignedStaffId);
  if (others.length === 0) return null;
  return (
    <form
      className="action"
      onSubmit={(e) => {
        e.preventDefault();
        void props.act('transfer', { toStaffId: to, ...(note.trim() ? { note: note.trim() } : {}) });
      }}
    >
      <select value={to} onChange={(e) => setTo(e.target.value)} data-testid="bo-transfer-to" aria-label={t('backoffice.transferTo')}>
        <option value="">{t('backoffice.transferTo')}：{t('backoffice.choose')}</option>
        {others.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}（{o.staffNumber}）
          </option>
        ))}
      </select>
      <input value={note} placeholder={t('backoffice.transferNote')} maxLength={200} onChange={(e) => setNote(e.target.value)} />
      <button type="submit" disabled={props.busy || !to} data-testid="bo-transfer">
        {t('backoffice.transfer')}
      </button>
    </form>
  );
}

function AnswerConsult(props: { busy: boolean; act: Act }) {
  const { t } = useTranslation();
  const [approve, setApprove] = useState(true);
  const [answer, setAnswer] = useState('');
  return (
    <form
      className="action"
      onSubmit={(e) => {
        e.preventDefault();
        void props.act('answer-consult', { approve, answer: answer.trim() });
      }}
    >
      <strong>{t('backoffice.answer')}</strong>
      <label>
        <input type="radio" checked={approve} onChange={() => setApprove(true)} /> {t('backoffice.answerApprove')}
      </label>
      <label>
        <input type="radio" checked={!approve} onChange={() => setApprove(false)} data-testid="bo-answer-refuse" /> {t('backoffice.answerRefuse')}
      </label>
      <input value={answer} placeholder={t('backoffice.answerText')} maxLength={500} onChange={(e) => setAnswer(e.target.value)} data-testid="bo-answer-text" />
      <button type="submit" className="primary" disabled={props.busy} data-testid="bo-answer">
        {t('backoffice.answerSend')}
      </button>
    </form>
  );
}
