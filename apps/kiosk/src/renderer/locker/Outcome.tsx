import type { LockerItem, LockerScanResult, LockerStatus } from '@hall/shared';
import { BigButton } from '@hall/ui';
import { Both } from './Both';
import { T, type Bilingual } from './text';

function itemText(kind: 'deposit' | 'pickup' | 'return', item: LockerItem, status: LockerStatus | undefined): { text: Bilingual; tone: 'ok' | 'open' | 'bad' } {
  const door = status?.compartments.find((c) => c.id === item.compartmentId);
  if (item.status === 'jammed' || item.status === 'deposit_failed') return { text: T.jammed, tone: 'bad' };
  if (item.status === 'uncertain') return { text: T.uncertain, tone: 'bad' };
  if (door && !door.doorOpen) return { text: T.done, tone: 'ok' };
  return { text: kind === 'deposit' ? T.depositOpen : kind === 'return' ? T.returnOpen : T.doorOpen, tone: 'open' };
}

/** What happened after a scan: open doors with their numbers, or why nothing opened. */
export function Outcome({ result, status, onHome }: { result: LockerScanResult; status: LockerStatus | undefined; onHome: () => void }) {
  if (result.kind === 'refused') {
    return (
      <div className="locker-outcome" data-outcome="refused" data-reason={result.reason}>
        <div className="outcome-icon bad">✕</div>
        <h2>
          <Both text={result.message} />
        </h2>
        {result.lockedUntil && (
          <p className="locked-until">
            {T.lockedUntil.zh} {new Date(result.lockedUntil).toLocaleTimeString('zh-CN', { hour12: false })} · {T.lockedUntil.en}{' '}
            {new Date(result.lockedUntil).toLocaleTimeString('en-GB')}
          </p>
        )}
        <BigButton size="large" variant="primary" onClick={onHome}>
          <Both text={T.home} />
        </BigButton>
      </div>
    );
  }
  return (
    <div className="locker-outcome" data-outcome={result.kind}>
      <ul className="outcome-items">
        {result.items.map((item) => {
          const { text, tone } = itemText(result.kind, item, status);
          return (
            <li key={item.parcelId} className={`outcome-item ${tone}`} data-compartment={item.compartmentId ?? ''} data-tone={tone}>
              <div className="compartment-number">
                {item.compartmentId}
                <small>{T.compartment.zh}</small>
              </div>
              <div className="outcome-detail">
                <Both text={text} />
                <span className="case-line">
                  {T.caseNumber.zh} / {T.caseNumber.en}: {item.caseNumber}
                  {item.maskedName ? ` · ${item.maskedName}` : ''}
                </span>
              </div>
            </li>
          );
        })}
      </ul>
      {result.kind === 'deposit' &&
        result.refusals.map((r, i) => (
          <p key={i} className="outcome-refusal">
            <Both text={r.message} />
          </p>
        ))}
      <BigButton size="large" variant="primary" onClick={onHome}>
        <Both text={T.home} />
      </BigButton>
    </div>
  );
}
