// What a station's users do during a fault schedule: citizens take tickets, clerks call them.
import { LocalRejection, type StationRuntime } from '@hall/station';

export interface Activity {
  stop(): void;
  /** Intents committed locally (accepted by the local engine). */
  readonly committed: number;
}

function step(runtime: StationRuntime, random: () => number): void {
  const core = runtime.core;
  if (!core.store.catalogue) return;
  if (core.identity.role === 'kiosk') {
    const service = random() < 0.7 ? 't1-svc-1' : 't1-svc-2';
    core.issueTicket({ serviceIds: [service], kind: 'walk_in' });
    return;
  }
  const counterId = core.identity.counterId!;
  const state = core.store.live.queue.counters[counterId]?.state ?? { status: 'closed' as const };
  switch (state.status) {
    case 'closed':
      core.counterCommand('openCounter');
      return;
    case 'paused':
      core.counterCommand('resumeCounter');
      return;
    case 'open':
      if (random() < 0.05) core.counterCommand('pauseCounter', '休息');
      else if (random() < 0.3) {
        // 特呼 of the longest-waiting A ticket: the pick two counters most often share.
        const waiting = Object.values(core.store.live.queue.tickets)
          .filter((t) => t.status === 'waiting' && t.queueId === 't1-qa')
          .sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
        if (waiting[0]) core.ticketCommand('callSpecific', waiting[0].id);
        else core.callNext();
      } else core.callNext();
      return;
    case 'serving': {
      const ticket = core.store.live.queue.tickets[state.ticketId];
      if (ticket?.status === 'called') core.ticketCommand('startServing', state.ticketId);
      else core.ticketCommand('finish', state.ticketId);
    }
  }
}

/** Runs `step` every `intervalMs` ± half; expected refusals (no numbers, nobody waiting) are part of life. */
export function startActivity(runtime: StationRuntime, random: () => number, intervalMs: number): Activity {
  let committed = 0;
  let timer: NodeJS.Timeout | undefined;
  let running = true;
  const tick = () => {
    if (!running) return;
    const before = runtime.core.store.nextSeq;
    try {
      step(runtime, random);
    } catch (error) {
      if (!(error instanceof LocalRejection)) throw error;
    }
    committed += runtime.core.store.nextSeq - before;
    timer = setTimeout(tick, intervalMs / 2 + random() * intervalMs);
  };
  timer = setTimeout(tick, random() * intervalMs);
  return {
    stop() {
      running = false;
      clearTimeout(timer);
    },
    get committed() {
      return committed;
    },
  };
}
