import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseFile, CaseWork } from '@hall/shared';
import { useRoleStation } from '@hall/ui';
import { useCaseCall } from './caseCall';
import { Capture } from './Capture';
import { useDesk } from './state';

const OPEN_FOR_WITHDRAWAL: readonly CaseFile['status'][] = ['submitted', 'accepted', 'supplement_requested', 'approved'];
const OPEN_FOR_DELIVERY_CHANGE: readonly CaseFile['status'][] = ['accepted', 'supplement_requested', 'approved', 'completed'];

/** The steps a window may take on the case now; the shared rules decide again when each is committed. */
export function CaseSteps({ file, onChange }: { file: CaseFile; onChange: (f: CaseFile) => void }) {
  const { t } = useTranslation();
  const owesPapers = file.status === 'supplement_requested' || file.materials.some((m) => m.pending);
  const completable = ((file.status === 'accepted' && file.instant) || file.status === 'approved') && !file.materials.some((m) => m.pending);
  const withdrawable = OPEN_FOR_WITHDRAWAL.includes(file.status) && !(file.withdrawal && !file.withdrawal.approvedAt);
  const consultable = file.status === 'submitted' && file.consult?.status !== 'pending';
  const any = owesPapers || completable || withdrawable || consultable || file.status === 'completed' || OPEN_FOR_DELIVERY_CHANGE.includes(file.status);
  return (
    <div className="case-steps" data-testid="case-steps">
      <h3>{t('caseFile.steps')}</h3>
      {!any && <p className="muted" data-testid="case-no-steps">{t('caseFile.noSteps')}</p>}
      {owesPapers && <SupplementStep file={file} onChange={onChange} />}
      {completable && <CompleteStep file={file} onChange={onChange} />}
      {file.status === 'completed' && <HandOverStep file={file} onChange={onChange} />}
      {consultable && <ConsultStep file={file} onChange={onChange} />}
      {OPEN_FOR_DELIVERY_CHANGE.includes(file.status) && <DeliveryStep file={file} onChange={onChange} />}
      {withdrawable && <WithdrawStep file={file} onChange={onChange} />}
    </div>
  );
}

type StepProps = { file: CaseFile; onChange: (f: CaseFile) => void };

function StepError({ error }: { error: string | undefined }) {
  return error ? <p className="error" role="alert" data-testid="step-error">{error}</p> : null;
}

function SupplementStep({ file, onChange }: StepProps) {
  const { t } = useTranslation();
  const station = useRoleStation<'counter'>();
  const { call, error, busy } = useCaseCall();
  const open = file.supplements.find((s) => s.receivedAt === undefined);
  const owed = new Set([...(open?.items.flatMap((i) => (i.materialId ? [i.materialId] : [])) ?? []), ...file.materials.filter((m) => m.pending).map((m) => m.materialId)]);
  const [chosen, setChosen] = useState<Set<string>>(owed);
  const [note, setNote] = useState('');
  const [work, setWork] = useState<CaseWork>();
  const capture = async () => setWork(await call(() => station.call('case.get', { caseId: file.caseId })));
  const pagesChanged = async (next: CaseWork) => {
    setWork(next);
    const refreshed = await call(() => station.call('caseFile.get', { caseId: file.caseId }));
    if (refreshed) onChange(refreshed);
  };
  const record = async () => {
    const next = await call(() => station.call('caseFile.recordSupplement', { caseId: file.caseId, materialIds: [...chosen], ...(note.trim() ? { note: note.trim() } : {}) }));
    if (next) {
      setWork(undefined);
      onChange(next);
    }
  };
  return (
    <div className="step" data-testid="step-supplement">
      <h4>{t('caseFile.supplementHeading')}</h4>
      <ul className="checklist">
        {file.materials.map((m) => (
          <li key={m.materialId}>
            <label>
              <input
                type="checkbox"
                data-testid={`supplement-${m.materialId}`}
                checked={chosen.has(m.materialId)}
                onChange={(e) => setChosen((c) => (e.target.checked ? new Set([...c, m.materialId]) : new Set([...c].filter((id) => id !== m.materialId))))}
              />
              <span className="mat-name">{m.name}</span>
              {owed.has(m.materialId) && <span className="pill pill-required">{m.pending ? t('caseFile.pending') : t('caseFile.open')}</span>}
            </label>
          </li>
        ))}
      </ul>
      <input data-testid="supplement-note" placeholder={t('caseFile.supplementNote')} value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} />
      {work ? (
        <Capture work={work} onChange={(w) => void pagesChanged(w)} />
      ) : (
        <button className="btn" data-testid="supplement-capture" onClick={() => void capture()}>
          {t('caseFile.captureHint')}
        </button>
      )}
      <button className="btn primary big" data-testid="supplement-record" disabled={busy} onClick={() => void record()}>
        {t('caseFile.recordSupplement')}
      </button>
      <StepError error={error} />
    </div>
  );
}

function CompleteStep({ file, onChange }: StepProps) {
  const { t } = useTranslation();
  const station = useRoleStation<'counter'>();
  const { call, error, busy } = useCaseCall();
  const complete = async () => {
    const next = await call(() => station.call('caseFile.complete', { caseId: file.caseId }));
    if (next) onChange(next);
  };
  return (
    <div className="step" data-testid="step-complete">
      <button className="btn primary big" data-testid="case-complete" disabled={busy} onClick={() => void complete()}>
        {file.status === 'accepted' ? t('caseFile.complete') : t('caseFile.completeApproved')}
      </button>
      <StepError error={error} />
    </div>
  );
}

function HandOverStep({ file, onChange }: StepProps) {
  const { t } = useTranslation();
  const station = useRoleStation<'counter'>();
  const { showSlip } = useDesk();
  const { call, error, busy } = useCaseCall();
  const [proxy, setProxy] = useState(false);
  const [photo, setPhoto] = useState<string>();
  const [courier, setCourier] = useState('');
  const [tracking, setTracking] = useState('');
  if (file.delivery === 'post') {
    const post = async () => {
      const result = await call(() => station.call('caseFile.handOver', { caseId: file.caseId, method: 'post', courier: courier.trim(), trackingNumber: tracking.trim() }));
      if (result) {
        onChange(result.case);
        if (result.slip) showSlip(result.slip);
      }
    };
    return (
      <div className="step" data-testid="step-handover">
        <h4>{t('caseFile.handOverHeading')}</h4>
        <input data-testid="post-courier" placeholder={t('caseFile.courier')} value={courier} maxLength={40} onChange={(e) => setCourier(e.target.value)} />
        <input data-testid="post-tracking" placeholder={t('caseFile.tracking')} value={tracking} maxLength={40} onChange={(e) => setTracking(e.target.value)} />
        <button className="btn primary big" data-testid="handover-post" disabled={busy || !courier.trim() || tracking.trim().length < 4} onClick={() => void post()}>
          {t('caseFile.post')}
        </button>
        <StepError error={error} />
      </div>
    );
  }
  const collect = async () => {
    const result = await call(() =>
      station.call('caseFile.handOver', { caseId: file.caseId, method: 'counter', proxy, ...(photo ? { photo: { mime: 'image/jpeg', dataBase64: photo } } : {}) }),
    );
    if (result) onChange(result.case);
  };
  return (
    <div className="step" data-testid="step-handover">
      <h4>{t('caseFile.handOverHeading')}</h4>
      <label className="row">
        <input type="checkbox" data-testid="handover-proxy" checked={proxy} onChange={(e) => setProxy(e.target.checked)} />
        {t('caseFile.proxyCheck')}
      </label>
      <CollectorPhoto photo={photo} onPhoto={setPhoto} />
      <button className="btn primary big" data-testid="handover-card" disabled={busy} onClick={() => void collect()}>
        {t('caseFile.readCard')}
      </button>
      <StepError error={error} />
    </div>
  );
}

/** The collector's photo from the document camera: one frame, scaled down; it stays on this station. */
function CollectorPhoto({ photo, onPhoto }: { photo: string | undefined; onPhoto: (base64: string | undefined) => void }) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [stream, setStream] = useState<MediaStream>();
  const [failure, setFailure] = useState<string>();
  useEffect(() => () => stream?.getTracks().forEach((track) => track.stop()), [stream]);
  useEffect(() => {
    if (video.current && stream) {
      video.current.srcObject = stream;
      void video.current.play().catch(() => undefined);
    }
  }, [stream]);
  const start = async () => {
    setFailure(undefined);
    onPhoto(undefined);
    try {
      setStream(await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 } }, audio: false }));
    } catch (e) {
      setFailure(e instanceof Error ? e.message : String(e));
    }
  };
  const shoot = () => {
    const v = video.current;
    if (!v || v.videoWidth === 0) return;
    const scale = Math.min(1, 480 / v.videoWidth);
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(v.videoWidth * scale);
    canvas.height = Math.round(v.videoHeight * scale);
    canvas.getContext('2d')?.drawImage(v, 0, 0, canvas.width, canvas.height);
    const url = canvas.toDataURL('image/jpeg', 0.8);
    onPhoto(url.slice(url.indexOf(',') + 1));
    stream?.getTracks().forEach((track) => track.stop());
    setStream(undefined);
  };
  return (
    <div className="collector-photo">
      {photo ? (
        <>
          <img className="collector-thumb" data-testid="collector-photo" alt={t('caseFile.photoTaken')} src={`data:image/jpeg;base64,${photo}`} />
          <button className="btn small" onClick={() => void start()}>
            {t('caseFile.retakePhoto')}
          </button>
        </>
      ) : stream ? (
        <>
          <video ref={video} className="collector-video" data-testid="collector-video" muted playsInline />
          <button className="btn" data-testid="collector-shoot" onClick={shoot}>
            {t('capture.shoot')}
          </button>
        </>
      ) : (
        <button className="btn" data-testid="collector-camera" onClick={() => void start()}>
          {t('caseFile.takePhoto')}
        </button>
      )}
      {failure && <p className="error">{t('capture.noCamera', { message: failure })}</p>}
    </div>
  );
}

function ConsultStep({ file, onChange }: StepProps) {
  const { t } = useTranslation();
  const station = useRoleStation<'counter'>();
  const { call, error, busy } = useCaseCall();
  const [question, setQuestion] = useState('');
  const ask = async () => {
    const next = await call(() => station.call('caseFile.requestConsult', { caseId: file.caseId, question: question.trim() }));
    if (next) onChange(next);
  };
  return (
    <div className="step" data-testid="step-consult">
      <h4>{t('accept.consult')}</h4>
      <textarea data-testid="consult-question" placeholder={t('accept.question')} value={question} maxLength={500} onChange={(e) => setQuestion(e.target.value)} />
      <button className="btn" data-testid="consult-ask" disabled={busy || !question.trim()} onClick={() => void ask()}>
        {t('accept.ask')}
      </button>
      <StepError error={error} />
    </div>
  );
}

function DeliveryStep({ file, onChange }: StepProps) {
  const { t } = useTranslation();
  const station = useRoleStation<'counter'>();
  const { call, error, busy } = useCaseCall();
  const choices = (['counter', 'post', 'electronic'] as const).filter((d) => d !== file.delivery);
  const [delivery, setDelivery] = useState<(typeof choices)[number]>(choices[0] ?? 'counter');
  const [reason, setReason] = useState('');
  const change = async () => {
    const next = await call(() => station.call('caseFile.changeDelivery', { caseId: file.caseId, delivery, reason: reason.trim() }));
    if (next) {
      setReason('');
      onChange(next);
    }
  };
  return (
    <div className="step" data-testid="step-delivery">
      <h4>{t('caseFile.deliveryHeading')}</h4>
      <div className="row">
        <select data-testid="delivery-change" value={delivery} onChange={(e) => setDelivery(e.target.value as typeof delivery)}>
          {choices.map((d) => (
            <option key={d} value={d}>
              {t(`caseFile.deliveries.${d}`)}
            </option>
          ))}
        </select>
        <input data-testid="delivery-reason" placeholder={t('caseFile.deliveryReason')} value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} />
        <button className="btn" data-testid="delivery-change-submit" disabled={busy || !reason.trim()} onClick={() => void change()}>
          {t('caseFile.changeDelivery')}
        </button>
      </div>
      <StepError error={error} />
    </div>
  );
}

function WithdrawStep({ file, onChange }: StepProps) {
  const { t } = useTranslation();
  const station = useRoleStation<'counter'>();
  const { call, error, busy } = useCaseCall();
  const [cause, setCause] = useState<'citizen_request' | 'clerk_error'>('citizen_request');
  const [reason, setReason] = useState('');
  const withdraw = async () => {
    const next = await call(() => station.call('caseFile.requestWithdrawal', { caseId: file.caseId, cause, reason: reason.trim() }));
    if (next) onChange(next);
  };
  return (
    <details className="step" data-testid="step-withdraw">
      <summary>{t('caseFile.withdrawHeading')}</summary>
      <div className="row">
        <select data-testid="withdraw-cause" value={cause} onChange={(e) => setCause(e.target.value as typeof cause)}>
          {(['citizen_request', 'clerk_error'] as const).map((c) => (
            <option key={c} value={c}>
              {t(`caseFile.causes.${c}`)}
            </option>
          ))}
        </select>
        <input data-testid="withdraw-reason" placeholder={t('caseFile.reason')} value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} />
        <button className="btn warn" data-testid="withdraw-submit" disabled={busy || !reason.trim()} onClick={() => void withdraw()}>
          {t('caseFile.withdraw')}
        </button>
      </div>
      <StepError error={error} />
    </details>
  );
}
