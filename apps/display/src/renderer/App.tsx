import { useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { callAnnouncementText, type DisplayCall, type DisplayCounter, type DisplayQueue, type DisplayState } from '@hall/shared';
import { useLinkState, useRoleStation } from '@hall/ui';
import { AudioQueue, playWithAudioElement, type AnnouncementEntry } from './audioQueue';
import { useClock, useDisplayState, useOrientation } from './useDisplay';

declare global {
  interface Window {
    /** Test hook: what the wall has announced, in order (key, text, state). */
    __hallAnnouncements?: () => readonly AnnouncementEntry[];
  }
}

function useAnnouncements(state: DisplayState | undefined): readonly AnnouncementEntry[] {
  const station = useRoleStation<'display'>();
  const volume = useRef(1);
  volume.current = state?.settings.volume ?? 1;
  const [entries, setEntries] = useState<readonly AnnouncementEntry[]>([]);
  const queue = useMemo(
    () =>
      new AudioQueue({
        clip: (key) => station.call('announcement.clip', { key }),
        done: (key, outcome) => station.call('announcement.done', { key, outcome }),
        play: playWithAudioElement,
        volume: () => volume.current,
        onChange: (list) => setEntries(list.map((e) => ({ ...e }))),
      }),
    [station],
  );
  useEffect(() => {
    window.__hallAnnouncements = () => queue.journal.map((e) => ({ ...e }));
  }, [queue]);
  useEffect(() => {
    if (state) queue.offer(state.announcements);
  }, [queue, state]);
  return entries;
}

function Bilingual({ zh, en, show, className }: { zh: string; en: string; show: boolean; className?: string }) {
  return (
    <span className={className}>
      <span className="zh">{zh}</span>
      {show && <span className="en">{en}</span>}
    </span>
  );
}

function Latest({ call, english, t, en }: { call: DisplayCall | null; english: boolean; t: TFunction; en: TFunction }) {
  if (!call) {
    return (
      <section className="latest latest-empty" data-testid="latest-call">
        <Bilingual zh={t('noCalls')} en={en('noCalls')} show={english} />
      </section>
    );
  }
  return (
    <section className="latest" data-testid="latest-call" data-key={call.key} data-ticket={call.ticketNumber}>
      <div className="latest-label">
        <Bilingual zh={t('latest')} en={en('latest')} show={english} />
        {call.kind === 'recall' && <span className="badge-recall">{t('recall')}</span>}
        {call.consultation && (
          <span className="badge-consultation" data-testid="latest-consultation">
            {t('consultation')}
          </span>
        )}
      </div>
      <div className="latest-number">{call.ticketNumber}</div>
      <div className="latest-text">
        请到 <strong>{call.counterNumber}</strong> 号窗口
      </div>
      {call.maskedName && <div className="latest-name">{call.maskedName}</div>}
      {english && <div className="latest-en">{callAnnouncementText(call, 'en')}</div>}
    </section>
  );
}

function Recent({ calls, english, t, en }: { calls: DisplayCall[]; english: boolean; t: TFunction; en: TFunction }) {
  return (
    <section className="panel recent">
      <h2>
        <Bilingual zh={t('recent')} en={en('recent')} show={english} />
      </h2>
      <ol data-testid="recent-calls">
        {calls.map((call) => (
          <li key={call.key} data-key={call.key} data-ticket={call.ticketNumber} data-source={call.source}>
            <span className="recent-number">{call.ticketNumber}</span>
            {call.consultation && <span className="badge-consultation">{t('consultation')}</span>}
            <span className="recent-arrow">→</span>
            <span className="recent-counter">{call.counterNumber} 号窗口</span>
            {call.maskedName && <span className="recent-name">{call.maskedName}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}

function Counters({ counters, english, t, en }: { counters: DisplayCounter[]; english: boolean; t: TFunction; en: TFunction }) {
  return (
    <section className="panel counters">
      <h2>
        <Bilingual zh={t('counters')} en={en('counters')} show={english} />
      </h2>
      <ul data-testid="counters">
        {counters.map((c) => (
          <li key={c.id} className={`counter counter-${c.status}`} data-counter={c.number} data-status={c.status}>
            <span className="counter-number">{c.number}</span>
            <span className="counter-body">
              <span className="counter-state">
                {c.status === 'serving' && c.servingTicketNumber ? c.servingTicketNumber : t(`status.${c.status}`)}
              </span>
              {c.status === 'paused' && c.reason && <span className="counter-reason">{c.reason}</span>}
              {english && <span className="en">{en(`status.${c.status}`)}</span>}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Queues({ queues, english, t, en }: { queues: DisplayQueue[]; english: boolean; t: TFunction; en: TFunction }) {
  return (
    <section className="panel queues">
      <h2>
        <Bilingual zh={t('queues')} en={en('queues')} show={english} />
      </h2>
      {/* Rows shrink with the number of queues, so a hall with four or more still shows every one. */}
      <ul data-testid="queues" style={{ '--queue-rows': Math.max(3, queues.length) } as CSSProperties}>
        {queues.map((q) => (
          <li key={q.id} data-queue={q.prefix} data-waiting={q.waiting}>
            <span className="queue-prefix">{q.prefix}</span>
            <span className="queue-name">{q.name}</span>
            <span className="queue-waiting">{t('waiting', { count: q.waiting })}</span>
            <span className="queue-wait">{q.waitMinutes === null ? t('waitUnknown') : t('waitAbout', { minutes: q.waitMinutes })}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Clock() {
  const now = useClock();
  const time = now.toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  const date = now.toLocaleDateString('zh-CN', { year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' });
  return (
    <div className="clock" data-testid="clock">
      <span className="clock-time">{time}</span>
      <span className="clock-date">{date}</span>
    </div>
  );
}

/** Where the wall stands in its hall: a quiet "connected", or a clear line while the central API is away. */
function HallLinkBadge({ state, english, t, en }: { state: DisplayState; english: boolean; t: TFunction; en: TFunction }) {
  const mode = state.hall?.mode;
  if (state.online) {
    return mode === 'connected' ? (
      <span className="hall-link" data-testid="hall-link" data-mode="connected">
        <Bilingual zh={t('hallConnected')} en={en('hallConnected')} show={english} />
      </span>
    ) : null;
  }
  const key = mode === 'mesh' ? 'hallMesh' : mode === 'alone' ? 'hallAlone' : 'offline';
  const count = state.hall?.peers ?? 0;
  return (
    <span className="offline" data-testid="offline-badge" data-mode={mode ?? ''}>
      <Bilingual zh={t(key, { count })} en={en(key, { count })} show={english} />
    </span>
  );
}

export function DisplayApp() {
  const { t, i18n } = useTranslation('app');
  const en = useMemo(() => i18n.getFixedT('en', 'app'), [i18n]);
  const state = useDisplayState();
  const link = useLinkState();
  const entries = useAnnouncements(state);
  const orientation = useOrientation(state?.settings.orientation);
  const english = state?.settings.englishLine ?? false;
  return (
    <div className={`wall wall-${orientation}`} data-testid="wall" data-orientation={orientation} data-ready={state ? 'true' : 'false'}>
      <header className="wall-header">
        <h1>{state?.hallName ?? ''}</h1>
        {state && <HallLinkBadge state={state} english={english} t={t} en={en} />}
        {link !== 'open' && <span className="offline link-lost">…</span>}
        <Clock />
      </header>
      <main className="wall-main">
        <Latest call={state?.latest ?? null} english={english} t={t} en={en} />
        <Recent calls={(state?.recent ?? []).slice(1)} english={english} t={t} en={en} />
        <Counters counters={state?.counters ?? []} english={english} t={t} en={en} />
        <Queues queues={state?.queues ?? []} english={english} t={t} en={en} />
      </main>
      <footer className="wall-notices" data-testid="notices">
        {(state?.notices ?? []).map((notice) => (
          <span key={notice} className="notice">
            {notice}
          </span>
        ))}
      </footer>
      <ol className="announcement-journal" data-testid="announcements" aria-hidden="true">
        {entries.map((e) => (
          <li key={e.key} data-key={e.key} data-state={e.state}>
            {e.text}
          </li>
        ))}
      </ol>
    </div>
  );
}
