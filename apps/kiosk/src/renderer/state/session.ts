import type { CitizenView, IssuedTicket, KioskRefusal, PrintOutcome } from '@hall/shared';
import { createWipeableStore } from '@hall/ui';

export type Screen =
  | 'home'
  | 'identify'
  | 'services'
  | 'ask'
  | 'questions'
  | 'materials'
  | 'form'
  | 'review'
  | 'ticket'
  | 'refusal'
  | 'reprint'
  | 'appointment'
  /** 导办放号: the floor guide's release password (现场号/特殊号). */
  | 'release'
  /** 一号联办: the matters chosen for one ticket, with the family member each is for. */
  | 'matters'
  /** 办事指南 in full, with blank and sample forms. */
  | 'guide'
  /** 办件进度查询: by receipt QR, ID card or residence code. */
  | 'progress';

/** What the citizen came for; decides the order of screens. */
export type Journey = 'ticket' | 'guided' | 'consultation' | 'pickup' | 'reprint' | 'appointment' | 'release' | 'progress';

export interface PrefillEntry {
  fieldId: string;
  display: string;
  source: string;
}

/** A matter chosen for a 一号联办 ticket; `member` when it is for a family member identified by their own card. */
export interface KioskMatter {
  serviceId: string;
  member?: Pick<CitizenView, 'handle' | 'maskedName' | 'maskedIdNumber'>;
}

export interface SessionData {
  screen: Screen;
  trail: Screen[];
  journey: Journey | undefined;
  citizen: CitizenView | undefined;
  serviceId: string | undefined;
  answers: Record<string, string[]>;
  /** After materials: the citizen chose to fill the form (identify first if needed). */
  wantsForm: boolean;
  values: Record<string, string | string[]>;
  /** Fields the station fills from the citizen's documents; shown masked. */
  prefill: PrefillEntry[];
  issued: IssuedTicket | undefined;
  submitted: { caseId: string; pendingSync: boolean } | undefined;
  refusal: KioskRefusal | undefined;
  notice: PrintOutcome | undefined;
  /** Set when the ticket came from 预约签到; `late` means past the grace, an ordinary ticket. */
  checkedIn: { late: boolean } | undefined;
  /** A reprinted slip of a ticket the central API refused: the hall will not call it. */
  notAccepted: { code: string } | undefined;
  /** 一号联办: the citizen chose "several matters"; choosing a service adds it to `matters`. */
  multi: boolean;
  matters: KioskMatter[];
  /** The matter whose family member's ID card the kiosk waits for ("为家人办理"). */
  awaitingMember: string | undefined;
  /** The acceptance receipt's QR the scanner read on the progress screen (looked up by the station). */
  receipt: { code: string; seq: number } | undefined;
  busy: boolean;
  error: string | undefined;
}

export interface SessionActions {
  start(journey: Journey, first: Screen): void;
  go(screen: Screen): void;
  back(): void;
  setCitizen(citizen: CitizenView | undefined): void;
  chooseService(serviceId: string): void;
  setAnswers(answers: Record<string, string[]>): void;
  setValue(fieldId: string, value: string | string[] | undefined): void;
  /** Drops a station-filled value so the citizen can type their own. */
  dropPrefill(fieldId: string): void;
  set(patch: Partial<SessionData>): void;
  addMatter(serviceId: string): void;
  removeMatter(serviceId: string): void;
  /** The card read while a matter waited for its family member. */
  setMember(serviceId: string, member: KioskMatter['member']): void;
}

const initial = (): SessionData => ({
  screen: 'home',
  trail: [],
  journey: undefined,
  citizen: undefined,
  serviceId: undefined,
  answers: {},
  wantsForm: false,
  values: {},
  prefill: [],
  issued: undefined,
  submitted: undefined,
  refusal: undefined,
  notice: undefined,
  checkedIn: undefined,
  notAccepted: undefined,
  multi: false,
  matters: [],
  awaitingMember: undefined,
  receipt: undefined,
  busy: false,
  error: undefined,
});

/** The one citizen's session at the kiosk: wiped on "done", on the home button and on idle timeout. */
export const useSession = createWipeableStore<SessionData, SessionActions>(initial, (set, get) => ({
  start: (journey, first) => set({ ...initial(), journey, screen: first, trail: ['home'] }),
  go: (screen) => set((s) => ({ screen, trail: [...s.trail, s.screen], error: undefined })),
  back: () => {
    const trail = [...get().trail];
    const previous = trail.pop() ?? 'home';
    set({ screen: previous, trail, error: undefined });
  },
  setCitizen: (citizen) => set({ citizen }),
  chooseService: (serviceId) => set({ serviceId, answers: {}, values: {}, prefill: [], notice: undefined }),
  setAnswers: (answers) => set({ answers }),
  setValue: (fieldId, value) =>
    set((s) => {
      const values = { ...s.values };
      if (value === undefined) delete values[fieldId];
      else values[fieldId] = value;
      return { values };
    }),
  dropPrefill: (fieldId) => set((s) => ({ prefill: s.prefill.filter((p) => p.fieldId !== fieldId) })),
  set: (patch) => set(patch),
  addMatter: (serviceId) => set((s) => (s.matters.some((m) => m.serviceId === serviceId) ? {} : { matters: [...s.matters, { serviceId }] })),
  removeMatter: (serviceId) =>
    set((s) => ({ matters: s.matters.filter((m) => m.serviceId !== serviceId), awaitingMember: s.awaitingMember === serviceId ? undefined : s.awaitingMember })),
  setMember: (serviceId, member) =>
    set((s) => ({ matters: s.matters.map((m) => (m.serviceId === serviceId ? (member ? { serviceId, member } : { serviceId }) : m)), awaitingMember: undefined })),
}));
