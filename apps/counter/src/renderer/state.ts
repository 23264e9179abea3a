import {
  StationCallError,
  type Catalogue,
  type ClerkSession,
  type HandoffScanned,
  type Counter,
  type CounterState,
  type PrintRecord,
  type Rejection,
  type ResidenceCodeScan,
  type Ticket,
} from '@hall/shared';
import { createWipeableStore, type RoleConnection } from '@hall/ui';

export type DeskView = 'desk' | 'history' | 'cases' | 'handoffs';
export type Dialog = 'pause' | 'transfer' | 'specific' | 'matter' | undefined;

interface DeskData {
  catalogue: Catalogue | undefined;
  session: ClerkSession | null;
  tickets: Record<string, Ticket>;
  counterStates: Record<string, CounterState>;
  conflicts: Rejection[];
  error: string | undefined;
  /** Local time of the latest call or recall by this window: the countdown runs from here. */
  lastCallAt: number | undefined;
  view: DeskView;
  dialog: Dialog;
  slip: PrintRecord | undefined;
  busy: boolean;
  /** The latest residence code read on the counter's scanner, as the station judged it. */
  residenceScan: ResidenceCodeScan | undefined;
  /** 办件查询: the case open on the case screen (from a search, a scanned receipt or the history). */
  caseFileId: string | undefined;
  /** 物料流转: the latest slip read on the code scanner (signed in here or refused). */
  handoffScan: HandoffScanned | undefined;
}

interface DeskActions {
  load(station: RoleConnection<'counter'>): Promise<void>;
  applyChanged(tickets: Ticket[], counterStates: { id: string; state: CounterState }[]): void;
  setSession(session: ClerkSession | null): void;
  addConflict(rejection: Rejection): void;
  dismissConflicts(): void;
  setError(message: string | undefined): void;
  setView(view: DeskView): void;
  setDialog(dialog: Dialog): void;
  showSlip(slip: PrintRecord | undefined): void;
  markCalled(): void;
  setResidenceScan(scan: ResidenceCodeScan | undefined): void;
  /** Shows the case screen, on one case or on the search. */
  openCaseFile(caseId: string | undefined): void;
  /** Shows the hand-off screen with a slip just scanned. */
  showHandoffScan(scan: HandoffScanned): void;
  /** Runs a station call, reporting a failure on screen instead of throwing. */
  run<T>(work: () => Promise<T>): Promise<T | undefined>;
}

export const useDesk = createWipeableStore<DeskData, DeskActions>(
  () => ({
    catalogue: undefined,
    session: null,
    tickets: {},
    counterStates: {},
    conflicts: [],
    error: undefined,
    lastCallAt: undefined,
    view: 'desk',
    dialog: undefined,
    slip: undefined,
    busy: false,
    residenceScan: undefined,
    caseFileId: undefined,
    handoffScan: undefined,
  }),
  (set, get) => ({
    async load(station) {
      const [catalogue, snapshot, session, rejections] = await Promise.all([
        station.call('catalogue.get', {}),
        station.call('queue.snapshot', {}),
        station.call('clerk.session', {}),
        station.call('sync.rejections', {}),
      ]);
      set({
        catalogue: catalogue ?? undefined,
        session,
        tickets: Object.fromEntries(snapshot.tickets.map((t) => [t.id, t])),
        counterStates: Object.fromEntries(snapshot.counters.map((c) => [c.counter.id, c.state])),
        conflicts: rejections.filter((r) => !acknowledged.has(r.mutationId)),
      });
    },
    applyChanged(tickets, counterStates) {
      set((s) => ({
        tickets: { ...s.tickets, ...Object.fromEntries(tickets.map((t) => [t.id, t])) },
        counterStates: { ...s.counterStates, ...Object.fromEntries(counterStates.map((c) => [c.id, c.state])) },
      }));
    },
    setSession(session) {
      set({ session, ...(session ? {} : { view: 'desk' as const, dialog: undefined, slip: undefined, lastCallAt: undefined, caseFileId: undefined }) });
    },
    addConflict(rejection) {
      if (acknowledged.has(rejection.mutationId)) return;
      set((s) => ({ conflicts: [...s.conflicts.filter((c) => c.mutationId !== rejection.mutationId), rejection] }));
    },
    dismissConflicts() {
      for (const c of get().conflicts) acknowledged.add(c.mutationId);
      set({ conflicts: [] });
    },
    setError(message) {
      set({ error: message });
    },
    setView(view) {
      set({ view });
    },
    setDialog(dialog) {
      set({ dialog });
    },
    showSlip(slip) {
      set({ slip });
    },
    markCalled() {
      set({ lastCallAt: Date.now() });
    },
    setResidenceScan(scan) {
      set({ residenceScan: scan });
    },
    showHandoffScan(scan) {
      set({ view: 'handoffs', handoffScan: scan });
    },
    openCaseFile(caseId) {
      set({ view: 'cases', caseFileId: caseId, error: undefined });
    },
    async run(work) {
      set({ busy: true, error: undefined });
      try {
        return await work();
      } catch (error) {
        set({ error: error instanceof StationCallError ? error.error.message : error instanceof Error ? error.message : String(error) });
        return undefined;
      } finally {
        set({ busy: false });
      }
    },
  }),
);

/** Conflicts the clerk dismissed this session; kept outside the store so a reload of the snapshot does not bring them back. */
const acknowledged = new Set<string>();

export function myCounter(catalogue: Catalogue | undefined, session: ClerkSession | null): Counter | undefined {
  return session ? catalogue?.counters.find((c) => c.id === session.counterId) : undefined;
}

/** The ticket this window holds: called or being served. */
export function heldTicket(tickets: Record<string, Ticket>, counterId: string | undefined): Ticket | undefined {
  if (!counterId) return undefined;
  return Object.values(tickets).find((t) => t.counterId === counterId && (t.status === 'called' || t.status === 'serving'));
}

/** Tickets this window may call next, oldest place first (the engine decides the exact order). */
export function waitingFor(tickets: Record<string, Ticket>, counter: Counter | undefined): Ticket[] {
  if (!counter) return [];
  return Object.values(tickets)
    .filter((t) => t.status === 'waiting' && counter.queueIds.includes(t.queueId) && (t.targetCounterId === undefined || t.targetCounterId === counter.id))
    .sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
}

export function missedRecallable(tickets: Record<string, Ticket>, counter: Counter | undefined, windowMinutes: number, now: number): Ticket[] {
  if (!counter) return [];
  return Object.values(tickets)
    .filter((t) => t.status === 'missed' && counter.queueIds.includes(t.queueId) && t.missedAt !== undefined && now - Date.parse(t.missedAt) <= windowMinutes * 60_000)
    .sort((a, b) => (b.missedAt ?? '').localeCompare(a.missedAt ?? ''));
}
