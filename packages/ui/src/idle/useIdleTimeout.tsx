import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BigButton } from '../widgets/Button';
import { IdleClock, type IdlePhase } from './idleClock';

export interface IdleTimeoutOptions {
  /** False on the home screen: nothing to wipe there. */
  enabled: boolean;
  timeoutMs: number;
  warnMs: number;
  /** Wipe the citizen's data and go home. */
  onTimeout: () => void;
}

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'touchstart'] as const;

/** Tracks touches; returns the phase to render (see <IdleCountdown>) and a way to keep going. */
export function useIdleTimeout(options: IdleTimeoutOptions): { phase: IdlePhase; stay: () => void } {
  const { enabled, timeoutMs, warnMs } = options;
  const onTimeout = useRef(options.onTimeout);
  onTimeout.current = options.onTimeout;
  const clock = useRef<IdleClock>(undefined);
  const [phase, setPhase] = useState<IdlePhase>({ phase: 'active' });

  useEffect(() => {
    if (!enabled) {
      setPhase({ phase: 'active' });
      return;
    }
    const current = new IdleClock({ timeoutMs, warnMs, now: () => Date.now() });
    clock.current = current;
    const onActivity = () => {
      // A touch during the warning dismisses it through the "continue" button only, so the
      // tap that lands on the overlay is not mistaken for reading the screen.
      if (current.phase().phase === 'active') current.activity();
    };
    for (const type of ACTIVITY_EVENTS) window.addEventListener(type, onActivity, { capture: true, passive: true });
    const timer = window.setInterval(() => {
      const next = current.phase();
      setPhase((prev) => (prev.phase === next.phase && (prev as { secondsLeft?: number }).secondsLeft === (next as { secondsLeft?: number }).secondsLeft ? prev : next));
      if (next.phase === 'expired') {
        window.clearInterval(timer);
        onTimeout.current();
      }
    }, 250);
    return () => {
      window.clearInterval(timer);
      for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, onActivity, { capture: true });
    };
  }, [enabled, timeoutMs, warnMs]);

  return {
    phase,
    stay: () => {
      clock.current?.activity();
      setPhase({ phase: 'active' });
    },
  };
}

/** The visible countdown before the kiosk wipes the citizen's data. */
export function IdleCountdown({ phase, onStay }: { phase: IdlePhase; onStay: () => void }) {
  const { t } = useTranslation('ui');
  if (phase.phase !== 'warning') return null;
  return (
    <div className="hall-idle" data-testid="idle-countdown" role="alertdialog" aria-labelledby="hall-idle-title">
      <div className="hall-idle-box">
        <div id="hall-idle-title" style={{ fontSize: 'var(--hall-font-size-title)', fontWeight: 700 }}>
          {t('idle.title')}
        </div>
        <div className="hall-idle-seconds">{phase.secondsLeft}</div>
        <div>{t('idle.countdown', { seconds: phase.secondsLeft })}</div>
        <BigButton variant="primary" size="large" onClick={onStay} data-testid="idle-stay">
          {t('idle.stay')}
        </BigButton>
      </div>
    </div>
  );
}
