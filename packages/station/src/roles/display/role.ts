import { join } from 'node:path';
import type { AnnouncementClip, EventData, HallLink, StationApiHandlers, StationEvent } from '@hall/shared';
import type { StationCore } from '../../core';
import { startLanCallReceiver, type LanCallReceiver } from '../../lan/receiver';
import type { LanKeySource, LanRefusal } from '../../lan/message';
import { buildAnnouncement } from '../../voice/announcer';
import { ClipLibrary, type ClipSynthesizer } from '../../voice/clipLibrary';
import { allTokens } from '../../voice/rules/phrases';
import { DisplayBoard } from './board';
import { CallStore } from './callStore';
import { DEFAULT_DISPLAY_SETTINGS, type DisplayConfig } from './config';
import { CounterSigns, openCallScreens, type OpenedScreens } from './signs';
import { log } from '../../log';

export interface DisplayRoleOptions {
  core: StationCore;
  config: DisplayConfig;
  /** The station's data dir: the call memory and the voice clip cache live there. */
  dataDir: string;
  /** Whether sync reaches the central API now. */
  online: () => boolean;
  /** Where the display stands in its hall (connected / with N stations / alone). */
  hall?: () => HallLink | undefined;
  emit: <E extends StationEvent>(event: E, data: EventData<E>) => void;
  /** Where clips are cached; `<dataDir>/voice-clips` by default (tests share one to skip regeneration). */
  clipCacheDir?: string;
  synthesize?: ClipSynthesizer;
  /** LAN port override (tests bind 0). */
  lanPort?: number;
  /** The station's hall LAN key ring (StationRuntime.lanKeys); needed when `config.lan` has no developer key. */
  lanKeys?: LanKeySource;
  onLanRefused?: (refusal: LanRefusal, from: string) => void;
  now?: () => number;
}

export interface DisplayRole {
  handlers: StationApiHandlers;
  board: DisplayBoard;
  lan: LanCallReceiver | undefined;
  signs: CounterSigns | undefined;
  screens: OpenedScreens | undefined;
  /** Resolves when the voice clips are loaded or generated (first start: a few seconds). */
  voiceReady: Promise<{ generated: number; failed: number }>;
  /** Re-sends the state (after a sync status change). */
  refresh(): void;
  /** The newest call the wall was asked to speak, with its sound once made (a demo panel replays it). */
  lastAnnouncement(): LastAnnouncement | undefined;
  close(): Promise<void>;
}

const CLIP_CACHE_SIZE = 16;

export interface LastAnnouncement {
  key: string;
  text: string;
  clip?: AnnouncementClip;
}

/**
 * The display station's role: keeps the wall's board from sync and the LAN feed, speaks
 * pending calls through joined clips, and drives the counter signs. Voice clips are
 * generated at the station's first start (espeak-ng) into its data dir and reused after.
 */
export async function startDisplayRole(options: DisplayRoleOptions): Promise<DisplayRole> {
  const { core, config } = options;
  const settings = { ...DEFAULT_DISPLAY_SETTINGS, ...config.settings };
  const voice = config.voice;
  const store = new CallStore(join(options.dataDir, 'display-calls.sqlite'));
  const board = new DisplayBoard({
    store,
    live: () => core.store.live,
    catalogue: () => core.store.catalogue,
    online: options.online,
    ...(options.hall ? { hall: options.hall } : {}),
    settings,
    notices: config.notices,
    freshMs: voice.freshSeconds * 1000,
    voice: voice.enabled,
    ...(options.now ? { now: options.now } : {}),
  });
  board.start();
  const unsubscribe = core.store.onLiveChange((changes) => board.ingestChanges(changes));

  const library = new ClipLibrary({
    cacheDir: options.clipCacheDir ?? join(options.dataDir, 'voice-clips'),
    ...(voice.recordedDir ? { recordedDir: voice.recordedDir } : {}),
    ...(options.synthesize ? { synthesize: options.synthesize } : {}),
  });
  const counterNumbers = () => (core.store.catalogue?.counters ?? []).map((c) => c.number);
  let ensured = new Set<string>();
  const ensureVoice = async () => {
    if (!voice.enabled) return { generated: 0, failed: 0 };
    const numbers = counterNumbers();
    ensured = new Set(numbers);
    const report = await library.ensure(allTokens(voice.languages, numbers));
    for (const failure of report.failed) log.warn(`voice clip "${failure.token.language}:${failure.token.text}" unavailable: ${failure.error}`);
    return { generated: report.generated, failed: report.failed.length };
  };
  let voiceReady = ensureVoice();
  const clips = new Map<string, AnnouncementClip>();
  let last: LastAnnouncement | undefined;

  const clipFor = async (key: string): Promise<AnnouncementClip | null> => {
    const call = board.pending(key);
    if (!call) return null;
    const cached = clips.get(key);
    if (cached) return cached;
    await voiceReady;
    // A counter added to the catalogue after start gets its number's clips on first use.
    if (counterNumbers().some((n) => !ensured.has(n))) voiceReady = ensureVoice();
    await voiceReady;
    const built = buildAnnouncement(call, library, { languages: voice.languages, repeat: voice.repeat, chime: voice.chime });
    if (!built) return null;
    const clip: AnnouncementClip = { mimeType: 'audio/wav', dataBase64: built.wav.toString('base64'), durationMs: built.durationMs };
    clips.set(key, clip);
    if (last?.key === key) last = { ...last, clip };
    while (clips.size > CLIP_CACHE_SIZE) clips.delete(clips.keys().next().value as string);
    return clip;
  };

  let lan: LanCallReceiver | undefined;
  if (config.lan) {
    const keys = config.lan.key !== undefined ? { key: config.lan.key } : options.lanKeys ? { keys: options.lanKeys } : undefined;
    if (!keys) throw new Error('display: the LAN call feed needs the hall LAN key ring from the station runtime');
    lan = await startLanCallReceiver({
      hallId: core.identity.hallId,
      ...keys,
      bind: config.lan.listen?.bind ?? '0.0.0.0',
      port: options.lanPort ?? config.lan.listen?.port ?? 47_123,
      windowMs: config.lan.windowMs,
      onCall: (call) => board.ingestLanCall(call),
      onCounterState: (state) => board.ingestLanCounterState(state),
      ...(options.onLanRefused ? { onRefused: options.onLanRefused } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
  }

  let screens: OpenedScreens | undefined;
  let signs: CounterSigns | undefined;
  if (config.screens) {
    const addresses = [...Object.values(config.screens.counterSigns), ...config.screens.strips];
    screens = await openCallScreens(config.screens.connection, addresses);
    if (screens) signs = new CounterSigns({ screen: screens.screen, counterSigns: config.screens.counterSigns, strips: config.screens.strips });
  }

  const publish = () => {
    const state = board.state();
    const newest = state.announcements.at(-1);
    if (newest && newest.key !== last?.key) last = { key: newest.key, text: newest.text };
    options.emit('display.state', state);
    signs?.update(state);
  };
  const offChange = board.onChange(publish);
  publish();

  return {
    board,
    lan,
    signs,
    screens,
    voiceReady,
    refresh: publish,
    lastAnnouncement: () => last,
    handlers: {
      'display.state': () => board.state(),
      'announcement.clip': (p) => clipFor(p.key),
      'announcement.done': (p) => {
        board.announcementDone(p.key, p.outcome);
        clips.delete(p.key);
        return { ok: true as const };
      },
    },
    async close() {
      offChange();
      unsubscribe();
      await lan?.close();
      await signs?.close();
      await screens?.close();
      await voiceReady.catch(() => undefined);
      store.close();
    },
  };
}
