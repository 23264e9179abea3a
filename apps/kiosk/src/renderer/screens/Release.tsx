import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { kioskRefusalOf, RELEASE_REASONS, type KioskReleaseView, type ReleaseReason } from '@hall/shared';
import { BigButton, localized, OnScreenKeyboard, useRoleStation } from '@hall/ui';
import { Both } from '../locker/Both';
import { Keypad } from '../locker/Keypad';
import { useHall } from '../state/catalogue';
import { useFlow } from '../state/flow';
import { useSession } from '../state/session';
import { R, REASON_TEXT } from './releaseText';

type Step = { name: 'code' } | { name: 'reason'; code: string; release: KioskReleaseView };
type Problem = keyof typeof R;

/** What the guide is told: the password's own refusal, else that it failed. */
function releaseProblem(error: unknown): Problem {
  const refusal = kioskRefusalOf(error);
  return refusal?.reason === 'release_refused' ? refusal.code : 'failed';
}

/**
 * 导办放号: the floor guide types the release password on a big keypad (checked by the
 * station against the hall's verifiers, online or not), picks the reason and the matter,
 * and the ticket is issued and printed as usual. The priority group is the password's.
 */
export function Release() {
  const { i18n } = useTranslation();
  const station = useRoleStation<'kiosk'>();
  const catalogue = useHall((s) => s.catalogue);
  const { finish } = useFlow();
  const [step, setStep] = useState<Step>({ name: 'code' });
  const [problem, setProblem] = useState<Problem | undefined>();
  const [reason, setReason] = useState<ReleaseReason | undefined>();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  // Each refused try starts the keypad empty again: the guide retypes the whole code.
  const [attempt, setAttempt] = useState(0);
  const services = useMemo(() => {
    const walkIn = new Set((catalogue?.queues ?? []).filter((q) => q.kinds.includes('walk_in')).map((q) => q.id));
    return (catalogue?.services ?? []).filter((s) => walkIn.has(s.queueId));
  }, [catalogue]);

  const check = async (code: string) => {
    setBusy(true);
    setProblem(undefined);
    try {
      const result = await station.call('kiosk.releaseCheck', { code });
      setStep({ name: 'reason', code, release: result.release });
    } catch (error) {
      setProblem(releaseProblem(error));
    } finally {
      setAttempt((n) => n + 1);
      setBusy(false);
    }
  };

  const issue = async (code: string, serviceId: string) => {
    if (!reason) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const result = await station.call('kiosk.issue', {
        serviceIds: [serviceId],
        kind: 'walk_in',
        release: { code, reason, ...(note.trim() ? { note: note.trim() } : {}) },
      });
      const s = useSession.getState();
      s.set({ issued: result.issued });
      s.go('ticket');
    } catch (error) {
      setProblem(releaseProblem(error));
    } finally {
      setBusy(false);
    }
  };

  const alert = problem && (
    <div className="release-problem" role="alert" data-testid="release-problem" data-problem={problem}>
      <Both text={R[problem]} />
    </div>
  );

  if (step.name === 'code') {
    return (
      <section className="screen release-screen" data-testid="screen-release">
        {alert}
        <Keypad key={attempt} title={R.enter} testId="release-code" onBack={finish} onSubmit={(code) => void check(code)} />
        {busy && <p className="release-busy"><Both text={R.checking} /></p>}
      </section>
    );
  }

  const { release, code } = step;
  const group = catalogue?.callingRules.priorityGroups.find((g) => g.id === release.priorityGroupId);
  const needsNote = reason === 'other' && !note.trim();
  return (
    <section className="screen release-screen" data-testid="screen-release">
      <h1 className="screen-title">
        <Both text={R.title} />
      </h1>
      <div className="release-granted" data-testid="release-granted">
        <strong>
          <Both text={release.kind === 'special' ? R.special : R.onSite} />
        </strong>
        {group && <span data-testid="release-group">{localized(group.name, i18n.language)}</span>}
        <span>
          <Both text={{ zh: `${R.remaining.zh}：${release.remaining}`, en: `${R.remaining.en}: ${release.remaining}` }} />
        </span>
      </div>
      {alert}
      <h2>
        <Both text={R.reason} />
      </h2>
      <div className="release-reasons">
        {RELEASE_REASONS.map((r) => (
          <BigButton key={r} variant={reason === r ? 'primary' : 'secondary'} aria-pressed={reason === r} data-testid={`release-reason-${r}`} onClick={() => setReason(r)}>
            <Both text={REASON_TEXT[r]} />
          </BigButton>
        ))}
      </div>
      {reason === 'other' && (
        <div className="release-note">
          <Both text={R.note} />
          <div className="id-display" data-testid="release-note">
            {note || '\u00a0'}
          </div>
          <OnScreenKeyboard layout="text" onInput={(c) => setNote((n) => (n + c).slice(0, 100))} onBackspace={() => setNote((n) => n.slice(0, -1))} onClear={() => setNote('')} />
        </div>
      )}
      {reason && !needsNote && (
        <>
          <h2>
            <Both text={R.service} />
          </h2>
          <div className="release-services">
            {services.map((s) => (
              <BigButton key={s.id} size="large" disabled={busy} data-testid={`release-service-${s.id}`} onClick={() => void issue(code, s.id)}>
                {localized(s.name, i18n.language)}
              </BigButton>
            ))}
          </div>
        </>
      )}
      <footer className="screen-footer">
        <BigButton variant="ghost" onClick={finish} data-testid="release-cancel">
          <Both text={R.cancel} />
        </BigButton>
      </footer>
    </section>
  );
}
