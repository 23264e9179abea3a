import type { AnnouncementClip, PendingAnnouncement } from '@hall/shared';

export type AnnouncementState = 'queued' | 'playing' | 'played' | 'failed';

export interface AnnouncementEntry {
  key: string;
  text: string;
  state: AnnouncementState;
}

export interface AudioQueueDeps {
  clip(key: string): Promise<AnnouncementClip | null>;
  done(key: string, outcome: 'played' | 'failed'): Promise<unknown>;
  /** Plays one clip to its end; rejects when the browser cannot play it. */
  play(clip: AnnouncementClip, volume: number): Promise<void>;
  volume(): number;
  onChange(entries: readonly AnnouncementEntry[]): void;
}

/** Journal entries kept for the screen's test hook; older ones are dropped. */
const JOURNAL_SIZE = 100;

/**
 * Speaks pending calls one after another: a new call waits for the one being spoken, and
 * each key is queued once per page life (the station also forgets a key once it is done,
 * so a reload never says it again). The journal is what tests read back.
 */
export class AudioQueue {
  private readonly entries: AnnouncementEntry[] = [];
  private readonly known = new Set<string>();
  /** Outcomes the station has not acknowledged (it was restarting): re-sent on the next state. */
  private readonly unacked = new Map<string, 'played' | 'failed'>();
  private busy = false;

  constructor(private readonly deps: AudioQueueDeps) {}

  offer(pending: readonly PendingAnnouncement[]): void {
    for (const [key, outcome] of this.unacked) this.report(key, outcome);
    for (const announcement of pending) {
      if (this.known.has(announcement.key)) continue;
      this.known.add(announcement.key);
      this.entries.push({ key: announcement.key, text: announcement.text, state: 'queued' });
    }
    while (this.entries.length > JOURNAL_SIZE && this.entries[0]?.state !== 'queued' && this.entries[0]?.state !== 'playing') this.entries.shift();
    this.deps.onChange(this.entries);
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (let next = this.entries.find((e) => e.state === 'queued'); next; next = this.entries.find((e) => e.state === 'queued')) {
        next.state = 'playing';
        this.deps.onChange(this.entries);
        let clip;
        try {
          clip = await this.deps.clip(next.key);
        } catch {
          // The station is away (restarting): forget the key, so the call is queued again
          // when the station, back, still lists it as pending.
          next.state = 'failed';
          this.known.delete(next.key);
          this.deps.onChange(this.entries);
          continue;
        }
        let outcome: 'played' | 'failed' = 'failed';
        if (clip) {
          try {
            await this.deps.play(clip, this.deps.volume());
            outcome = 'played';
          } catch {
            outcome = 'failed';
          }
        }
        next.state = outcome;
        this.deps.onChange(this.entries);
        await this.report(next.key, outcome);
      }
    } finally {
      this.busy = false;
    }
  }

  private async report(key: string, outcome: 'played' | 'failed'): Promise<void> {
    this.unacked.set(key, outcome);
    try {
      await this.deps.done(key, outcome);
      this.unacked.delete(key);
    } catch {
      // Kept in `unacked`; without the acknowledgement the station would offer it again.
    }
  }

  get journal(): readonly AnnouncementEntry[] {
    return this.entries;
  }
}

/** Plays a clip through an HTMLAudioElement; gives up after its length plus a margin, so a stuck device never blocks the queue. */
export function playWithAudioElement(clip: AnnouncementClip, volume: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const audio = new Audio(`data:${clip.mimeType};base64,${clip.dataBase64}`);
    audio.volume = Math.max(0, Math.min(1, volume));
    const guard = setTimeout(() => finish(new Error('playback did not end in time')), clip.durationMs + 5000);
    function finish(error?: Error) {
      clearTimeout(guard);
      audio.onended = null;
      audio.onerror = null;
      audio.pause();
      if (error) reject(error);
      else resolve();
    }
    audio.onended = () => finish();
    audio.onerror = () => finish(new Error('the clip could not be decoded'));
    audio.play().catch((error: unknown) => finish(error instanceof Error ? error : new Error(String(error))));
  });
}
