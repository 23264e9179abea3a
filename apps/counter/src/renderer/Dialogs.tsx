import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { localized, useRoleStation } from '@hall/ui';
import { heldTicket, myCounter, useDesk } from './state';

function Modal({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  // Esc closes, as on every desktop dialog: the clerk's hands stay on the keyboard.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') useDesk.getState().setDialog(undefined);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-label={title} data-testid={testId}>
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  );
}

export function Dialogs() {
  const { dialog } = useDesk();
  if (dialog === 'pause') return <PauseDialog />;
  if (dialog === 'transfer') return <TransferDialog />;
  if (dialog === 'specific') return <SpecificDialog />;
  if (dialog === 'matter') return <MatterDialog />;
  return null;
}

function Footer({ onConfirm, confirm, disabled }: { onConfirm: () => void; confirm: string; disabled?: boolean }) {
  const { t } = useTranslation();
  const { setDialog, error } = useDesk();
  return (
    <>
      {error && (
        <p className="error" role="alert" data-testid="dialog-error">
          {error}
        </p>
      )}
      <div className="modal-actions">
        <button className="btn" data-testid="dialog-cancel" onClick={() => setDialog(undefined)}>
          {t('cancel')}
        </button>
        <button className="btn primary" data-testid="dialog-confirm" disabled={disabled} onClick={onConfirm}>
          {confirm}
        </button>
      </div>
    </>
  );
}

function PauseDialog() {
  const { t } = useTranslation();
  const station = useRoleStation<'counter'>();
  const { run, setDialog, applyChanged, session } = useDesk();
  const reasons = t('pause.reasons', { returnObjects: true }) as string[];
  const [reason, setReason] = useState(reasons[0] ?? '');
  const confirm = async () => {
    const state = await run(() => station.call('counter.pause', { reason }));
    if (state && session) {
      applyChanged([], [{ id: session.counterId, state }]);
      setDialog(undefined);
    }
  };
  return (
    <Modal title={t('pause.heading')} testId="pause-dialog">
      <div className="choices">
        {reasons.map((r) => (
          <button key={r} className={`btn ${r === reason ? 'primary' : ''}`} onClick={() => setReason(r)}>
            {r}
          </button>
        ))}
      </div>
      <label>
        {t('pause.reason')}
        <input data-testid="pause-reason" value={reason} maxLength={100} onChange={(e) => setReason(e.target.value)} />
      </label>
      <Footer confirm={t('pause.confirm')} disabled={!reason.trim()} onConfirm={() => void confirm()} />
    </Modal>
  );
}

function TransferDialog() {
  const { t, i18n } = useTranslation();
  const station = useRoleStation<'counter'>();
  const { catalogue, session, tickets, run, setDialog, applyChanged } = useDesk();
  const held = heldTicket(tickets, session?.counterId);
  const [target, setTarget] = useState('');
  if (!held) return null;
  const counters = catalogue?.counters.filter((c) => c.id !== session?.counterId) ?? [];
  const queues = catalogue?.queues ?? [];
  const confirm = async () => {
    const [kind, id] = target.split(':') as ['counter' | 'queue', string];
    const ticket = await run(() => station.call('counter.transfer', kind === 'counter' ? { ticketId: held.id, toCounterId: id } : { ticketId: held.id, toQueueId: id }));
    if (ticket) {
      applyChanged([ticket], []);
      setDialog(undefined);
    }
  };
  return (
    <Modal title={`${t('transfer.heading')} · ${held.number}`} testId="transfer-dialog">
      <label>
        {t('transfer.toCounter')} / {t('transfer.toQueue')}
        <select data-testid="transfer-target" value={target} onChange={(e) => setTarget(e.target.value)}>
          <option value="">—</option>
          <optgroup label={t('transfer.toCounter')}>
            {counters.map((c) => (
              <option key={c.id} value={`counter:${c.id}`}>
                {c.number} · {localized(c.name, i18n.language)}
              </option>
            ))}
          </optgroup>
          <optgroup label={t('transfer.toQueue')}>
            {queues.map((q) => (
              <option key={q.id} value={`queue:${q.id}`}>
                {q.prefix} · {localized(q.name, i18n.language)}
              </option>
            ))}
          </optgroup>
        </select>
      </label>
      <Footer confirm={t('transfer.confirm')} disabled={!target} onConfirm={() => void confirm()} />
    </Modal>
  );
}

function SpecificDialog() {
  const { t } = useTranslation();
  const station = useRoleStation<'counter'>();
  const { tickets, run, setDialog, applyChanged, markCalled, setError } = useDesk();
  const [number, setNumber] = useState('');
  const confirm = async () => {
    const wanted = number.trim().toUpperCase();
    const ticket = Object.values(tickets).find((x) => x.number === wanted && (x.status === 'waiting' || x.status === 'missed'));
    if (!ticket) return setError(t('specific.notFound', { number: wanted }));
    const called = await run(() => station.call('counter.callSpecific', { ticketId: ticket.id }));
    if (called) {
      applyChanged([called], []);
      markCalled();
      setDialog(undefined);
    }
  };
  return (
    <Modal title={t('specific.heading')} testId="specific-dialog">
      <label>
        {t('specific.number')}
        <input
          data-testid="specific-number"
          autoFocus
          value={number}
          onChange={(e) => setNumber(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && void confirm()}
        />
      </label>
      <Footer confirm={t('specific.confirm')} disabled={!number.trim()} onConfirm={() => void confirm()} />
    </Modal>
  );
}

function MatterDialog() {
  const { t, i18n } = useTranslation();
  const station = useRoleStation<'counter'>();
  const { catalogue, session, tickets, run, setDialog, applyChanged } = useDesk();
  const counter = myCounter(catalogue, session);
  const held = heldTicket(tickets, session?.counterId);
  const [serviceId, setServiceId] = useState('');
  if (!held) return null;
  const services = (catalogue?.services ?? []).filter((s) => counter?.services.some((cs) => cs.serviceId === s.id) && !held.serviceIds.includes(s.id));
  const confirm = async () => {
    const ticket = await run(() => station.call('counter.addMatter', { ticketId: held.id, serviceId }));
    if (ticket) {
      applyChanged([ticket], []);
      setDialog(undefined);
    }
  };
  return (
    <Modal title={`${t('matter.heading')} · ${held.number}`} testId="matter-dialog">
      <select data-testid="matter-service" value={serviceId} onChange={(e) => setServiceId(e.target.value)}>
        <option value="">—</option>
        {services.map((s) => (
          <option key={s.id} value={s.id}>
            {localized(s.name, i18n.language)}
          </option>
        ))}
      </select>
      <Footer confirm={t('matter.confirm')} disabled={!serviceId} onConfirm={() => void confirm()} />
    </Modal>
  );
}
