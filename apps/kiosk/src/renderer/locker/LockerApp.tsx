import { useCallback, useEffect, useRef, useState } from 'react';
import type { LockerAlarm, LockerScanResult, LockerStatus } from '@hall/shared';
import { BigButton, useLinkState, useRoleStation, useStationEvent } from '@hall/ui';
import { Both } from './Both';
import { Keypad } from './Keypad';
import { Outcome } from './Outcome';
import { T } from './text';

type Screen = { name: 'home' } | { name: 'keypad' } | { name: 'working'; card: boolean } | { name: 'outcome'; result: LockerScanResult };

/** After this long without a touch, an outcome screen goes back home (doors keep being watched). */
const OUTCOME_MS = 20_000;

function useLockerStatus(): LockerStatus | undefined {
  const station = useRoleStation<'locker'>();
  const link = useLinkState();
  const [status, setStatus] = useState<LockerStatus>();
  useEffect(() => {
    if (link === 'open') station.call('locker.status', {}).then(setStatus, () => undefined);
  }, [station, link]);
  useStationEvent('locker.status', setStatus);
  return status;
}

function useAlarms(status: LockerStatus | undefined): LockerAlarm[] {
  const [alarms, setAlarms] = useState<LockerAlarm[]>([]);
  useStationEvent('locker.alarm', (alarm) => setAlarms((list) => [...list.filter((a) => a.compartmentId !== alarm.compartmentId), alarm]));
  // An alarm ends when its door is shut (left open) or the compartment is back in service.
  useEffect(() => {
    if (!status) return;
    setAlarms((list) =>
      list.filter((a) => {
        const c = status.compartments.find((x) => x.id === a.compartmentId);
        return a.kind === 'left_open' ? c?.doorOpen === true : c?.use === 'out_of_service' || a.kind === 'uncertain';
      }),
    );
  }, [status]);
  return alarms;
}

/** A QR-like picture: three finder squares and a few modules, drawn, not a real code. */
function QrGlyph() {
  const finder = (x: number, y: number) => (
    <g key={`${x}-${y}`}>
      <rect x={x} y={y} width="70" height="70" rx="6" fill="currentColor" />
      <rect x={x + 10} y={y + 10} width="50" height="50" rx="4" fill="var(--hall-surface)" />
      <rect x={x + 22} y={y + 22} width="26" height="26" rx="3" fill="currentColor" />
    </g>
  );
  const modules = [[100, 20], [120, 40], [100, 60], [20, 100], [60, 110], [100, 100], [140, 120], [120, 160], [170, 100], [150, 180], [190, 150], [100, 190]];
  return (
    <svg className="qr-glyph" viewBox="0 0 240 240" width="320" height="320">
      <rect x="0" y="0" width="240" height="240" rx="24" fill="var(--hall-surface)" />
      {[finder(10, 10), finder(160, 10), finder(10, 160)]}
      {modules.map(([x, y]) => (
        <rect key={`${x}-${y}`} x={x} y={y} width="18" height="18" rx="2" fill="currentColor" />
      ))}
    </svg>
  );
}

/** The locker role's screens on the 1080×1920 touch screen. */
export function LockerApp() {
  const station = useRoleStation<'locker'>();
  const status = useLockerStatus();
  const alarms = useAlarms(status);
  const [screen, setScreen] = useState<Screen>({ name: 'home' });
  const scanRef = useRef<HTMLInputElement>(null);
  const home = useCallback(() => setScreen({ name: 'home' }), []);

  // Batch deposit: codes scanned while doors stand open join the list on screen.
  const show = useCallback(
    (result: LockerScanResult) =>
      setScreen((current) =>
        current.name === 'outcome' && current.result.kind === 'deposit' && result.kind === 'deposit'
          ? { name: 'outcome', result: { ...result, items: [...current.result.items, ...result.items], refusals: result.refusals } }
          : { name: 'outcome', result },
      ),
    [],
  );
  // A serial scanner's code was handled by the station already: show what it did.
  useStationEvent('locker.scanned', show);

  const run = useCallback(
    (call: () => Promise<LockerScanResult>, card = false) => {
      setScreen((current) => (current.name === 'outcome' && current.result.kind === 'deposit' ? current : { name: 'working', card }));
      call().then(
        show,
        () => setScreen({ name: 'outcome', result: { kind: 'refused', reason: 'device_error', message: { zh: '操作失败，请到窗口办理', en: 'Something failed. Please go to a counter.' } } }),
      );
    },
    [show],
  );

  // A keyboard-wedge scanner types the code and Enter into whatever has focus: keep it here.
  useEffect(() => {
    const refocus = () => {
      if (screen.name !== 'keypad') scanRef.current?.focus();
    };
    refocus();
    const timer = window.setInterval(refocus, 1000);
    return () => window.clearInterval(timer);
  }, [screen.name]);

  useEffect(() => {
    if (screen.name !== 'outcome') return;
    const timer = window.setTimeout(home, OUTCOME_MS);
    return () => window.clearTimeout(timer);
  }, [screen, home]);

  const onScan = (text: string) => {
    const trimmed = text.trim();
    if (trimmed) run(() => station.call('locker.scan', { text: trimmed }));
  };

  const free = status?.compartments.filter((c) => c.use === 'free').length ?? 0;
  return (
    <div className="locker" data-screen={screen.name}>
      <header className="locker-header">
        <Both text={T.title} className="locker-title" />
        <span className={`locker-link ${status?.online ? 'online' : 'offline'}`} data-testid="locker-online" data-online={String(status?.online ?? false)}>
          <Both text={status?.online ? T.online : T.offline} />
        </span>
      </header>
      {alarms.length > 0 && (
        <div className="locker-alarms" role="alert" data-testid="locker-alarm">
          {alarms.map((a) => (
            <p key={a.compartmentId} data-kind={a.kind}>
              <Both text={a.message} />
            </p>
          ))}
        </div>
      )}
      <main className="locker-main">
        <form
          className="scan-catcher"
          onSubmit={(e) => {
            e.preventDefault();
            const input = scanRef.current;
            if (input) {
              onScan(input.value);
              input.value = '';
            }
          }}
        >
          <input ref={scanRef} aria-label="scanner" data-testid="scan-input" autoComplete="off" />
        </form>
        {screen.name === 'home' && (
          <div className="locker-home">
            <div className="scan-art" aria-hidden>
              <QrGlyph />
              <div className="scan-arrow">▼</div>
            </div>
            <h1>
              <Both text={T.scanTitle} />
            </h1>
            <p className="scan-hint">
              <Both text={T.scanHint} />
            </p>
            <BigButton size="large" onClick={() => setScreen({ name: 'keypad' })} data-testid="by-code">
              <Both text={T.byCode} />
            </BigButton>
          </div>
        )}
        {screen.name === 'keypad' && <Keypad onBack={home} onSubmit={(code) => run(() => station.call('locker.pickupWithCard', { pickupCode: code }), true)} />}
        {screen.name === 'working' && (
          <div className="locker-working">
            <div className="spinner" aria-hidden />
            <h2>
              <Both text={screen.card ? T.placeCard : T.working} />
            </h2>
          </div>
        )}
        {screen.name === 'outcome' && <Outcome result={screen.result} status={status} onHome={home} />}
      </main>
      <footer className="locker-footer">
        <span>
          {T.free.zh} / {T.free.en}: <b data-testid="free-count">{free}</b>
        </span>
        {status?.lockedUntil && (
          <span className="locked">
            {T.lockedUntil.zh} {new Date(status.lockedUntil).toLocaleTimeString('zh-CN', { hour12: false })}
          </span>
        )}
        <span className="clerk-hint">
          <Both text={T.clerkHint} />
        </span>
      </footer>
    </div>
  );
}
