import { useEffect, useRef } from 'react';
import type { CitizenView } from '@hall/shared';
import { useTranslation } from 'react-i18next';
import {
  ElderlyToggle,
  IdleCountdown,
  LanguageToggle,
  localized,
  SyncStatusCorner,
  useElderlyMode,
  useIdleTimeout,
  useLinkState,
  useRoleStation,
  useStationEvent,
} from '@hall/ui';
import { Appointment } from './screens/Appointment';
import { Ask } from './screens/Ask';
import { Form } from './screens/Form';
import { Guide } from './screens/Guide';
import { Home } from './screens/Home';
import { Identify } from './screens/Identify';
import { Materials } from './screens/Materials';
import { Matters } from './screens/Matters';
import { Progress } from './screens/Progress';
import { Questions } from './screens/Questions';
import { Refusal } from './screens/Refusal';
import { Release } from './screens/Release';
import { Reprint } from './screens/Reprint';
import { Review } from './screens/Review';
import { Services } from './screens/Services';
import { Ticket } from './screens/Ticket';
import { useHall } from './state/catalogue';
import { useFlow } from './state/flow';
import { useSession, type Screen } from './state/session';
import { useSpokenPrompts, useVoice } from './state/voice';

const SCREENS: Record<Screen, () => React.JSX.Element | null> = {
  home: Home,
  identify: Identify,
  services: Services,
  ask: Ask,
  questions: Questions,
  materials: Materials,
  form: Form,
  review: Review,
  ticket: Ticket,
  refusal: Refusal,
  reprint: Reprint,
  appointment: Appointment,
  release: Release,
  matters: Matters,
  guide: Guide,
  progress: Progress,
};

export interface KioskSettings {
  idleTimeoutMs: number;
  idleWarnMs: number;
  /** The hall turns spoken prompts on with elderly mode (the citizen can still turn them off). */
  voiceWithElderly: boolean;
}

/** Keeps the catalogue and device states current while the page lives. */
function useHallData() {
  const station = useRoleStation<'kiosk'>();
  const link = useLinkState();
  useEffect(() => {
    if (link !== 'open') return;
    let live = true;
    let timer: number | undefined;
    const load = async () => {
      const [catalogue, devices] = await Promise.all([
        station.call('catalogue.get', {}).catch(() => undefined),
        station.call('kiosk.devices', {}).catch(() => undefined),
      ]);
      if (!live) return;
      // Only a changed catalogue re-renders the screens.
      if (catalogue !== undefined && catalogue?.version !== useHall.getState().catalogue?.version) useHall.getState().setCatalogue(catalogue);
      if (devices) useHall.getState().setDevices(devices);
      // The catalogue arrives with the first sync after a fresh install, and changes rarely.
      timer = window.setTimeout(() => void load(), useHall.getState().catalogue ? 60_000 : 2_000);
    };
    void load();
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [station, link]);
  useStationEvent('kiosk.devices', (d) => useHall.getState().setDevices(d));
  // A console edit reaches the station within a sync; the screens follow at once, not at the next minute's poll.
  useStationEvent('sync.status', (status) => {
    if (!status.catalogueVersion || status.catalogueVersion === useHall.getState().catalogue?.version) return;
    void station.call('catalogue.get', {}).then((catalogue) => {
      if (catalogue && catalogue.version !== useHall.getState().catalogue?.version) useHall.getState().setCatalogue(catalogue);
    }, () => undefined);
  });
  // The number is on screen before its slip prints; here the screen learns how the slip ended.
  useStationEvent('kiosk.printed', ({ ticketId, print }) => {
    const s = useSession.getState();
    if (s.issued?.ticket.id === ticketId) s.set({ issued: { ...s.issued, print } });
  });
}

export function App({ settings }: { settings: KioskSettings }) {
  const { i18n } = useTranslation();
  const screen = useSession((s) => s.screen);
  const catalogue = useHall((s) => s.catalogue);
  const [elderly, setElderly] = useElderlyMode();
  const { finish } = useFlow();
  const station = useRoleStation<'kiosk'>();
  const ticketNumber = useSession((s) => s.issued?.ticket.number);
  const voice = useVoice((s) => s.last);
  useHallData();
  useSpokenPrompts(screen, ticketNumber);

  // The station installs staged updates only while nobody is using the kiosk.
  useEffect(() => {
    void station.call('kiosk.screen', { screen }).catch(() => undefined);
  }, [station, screen]);
  useEffect(() => {
    if (elderly && settings.voiceWithElderly) useVoice.getState().setOn(true);
  }, [elderly, settings.voiceWithElderly]);

  // A card placed on the reader (or a residence code shown to the scanner) identifies the
  // citizen; on the home screen it starts "take a ticket".
  const identified = (view: CitizenView) => {
    const s = useSession.getState();
    if (s.awaitingMember !== undefined) {
      // "为家人办理": this card is the family member's, for the matter that waits for it.
      const self = s.citizen?.maskedIdNumber === view.maskedIdNumber && s.citizen.maskedName === view.maskedName;
      s.setMember(s.awaitingMember, self ? undefined : { handle: view.handle, maskedName: view.maskedName, maskedIdNumber: view.maskedIdNumber });
      return;
    }
    if (s.screen === 'progress') {
      // 办件进度查询: this card (or code) is looked up; an earlier one or a receipt is dropped.
      if (s.citizen && s.citizen.handle !== view.handle) void station.call('kiosk.forget', { handle: s.citizen.handle }).catch(() => undefined);
      s.set({ citizen: view, receipt: undefined });
    } else if (s.screen === 'home') {
      s.start('ticket', 'identify');
      useSession.getState().setCitizen(view);
    } else if (s.screen === 'identify' && s.citizen && s.citizen.handle !== view.handle) {
      // A card put down now is the citizen at the kiosk: it wins over one remembered from the
      // reader that may have been lifted a moment ago.
      void station.call('kiosk.forget', { handle: s.citizen.handle }).catch(() => undefined);
      s.setCitizen(view);
    } else if (!s.citizen) {
      s.setCitizen(view);
    }
    // Elderly citizens get large type without asking.
    if (view.priorityGroupId && (view.age ?? 0) >= 60) setElderly(true);
  };
  useStationEvent('idcard.read', identified);
  // The reader tells of a card once, when placed: a card put down before this screen opened
  // (say, before the citizen went back home and chose another journey) is asked for here.
  useEffect(() => {
    if (screen !== 'identify' || useSession.getState().citizen) return;
    void station.call('kiosk.cardOnReader', {}).then((view) => {
      if (!view) return;
      const s = useSession.getState();
      if (s.screen === 'identify' && !s.citizen && s.awaitingMember === undefined) identified(view);
      else void station.call('kiosk.forget', { handle: view.handle }).catch(() => undefined);
    }, () => undefined);
  }, [station, screen]);
  useStationEvent('code.scanned', (scan) => {
    if (scan.kind === 'receipt' && scan.receipt !== undefined) {
      // A receipt shown on the home screen goes straight to its progress; elsewhere it waits for that screen.
      const s = useSession.getState();
      if (s.screen === 'home') s.start('progress', 'progress');
      if (useSession.getState().screen !== 'progress') return;
      const held = useSession.getState().citizen;
      if (held) void station.call('kiosk.forget', { handle: held.handle }).catch(() => undefined);
      // Numbered, so the same receipt scanned again is looked up again (its case may have moved on).
      useSession.getState().set({ receipt: { code: scan.receipt, seq: (useSession.getState().receipt?.seq ?? 0) + 1 }, citizen: undefined });
      return;
    }
    if (scan.citizen) identified(scan.citizen);
    else if (scan.kind === 'residenceCode') useSession.getState().set({ error: 'identify.codeInvalid' });
  });

  const idle = useIdleTimeout({
    enabled: screen !== 'home',
    timeoutMs: settings.idleTimeoutMs,
    warnMs: settings.idleWarnMs,
    onTimeout: () => {
      // The next citizen must not be identified by a card this one left on the reader.
      void station.call('kiosk.screen', { screen: 'home', sessionEnded: true }).catch(() => undefined);
      finish();
    },
  });

  useEffect(() => {
    document.documentElement.lang = i18n.language;
  }, [i18n.language]);

  // Large type chosen for (or by) one citizen ends with their session.
  const previous = useRef(screen);
  useEffect(() => {
    if (screen === 'home' && previous.current !== 'home') {
      setElderly(false);
      useVoice.getState().setOn(false);
    }
    previous.current = screen;
  }, [screen, setElderly]);

  const Current = SCREENS[screen];
  return (
    <div className="kiosk" data-screen={screen} data-voice-key={voice?.key} data-voice-state={voice?.state} data-voice-problem={voice?.problem} data-testid="kiosk">
      <header className="kiosk-header">
        <div className="hall-name" data-testid="hall-name">
          {catalogue ? localized(catalogue.hall.name, i18n.language) : '\u00a0'}
        </div>
        <div className="header-actions">
          <ElderlyToggle on={elderly} onChange={setElderly} />
          <LanguageToggle />
        </div>
      </header>
      <main className="kiosk-main">
        <Current />
      </main>
      {/* Calm: citizens are served whether or not the data centre answers. */}
      <SyncStatusCorner variant="calm" />
      <IdleCountdown phase={idle.phase} onStay={idle.stay} />
    </div>
  );
}
