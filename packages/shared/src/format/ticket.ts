/** Highest sequence a queue can hand out per day with this many digits (3 → 999). */
export function maxTicketSequence(numberDigits: number): number {
  return 10 ** numberDigits - 1;
}

/** "A" + 23 with 3 digits → "A023". Throws on a sequence the digits cannot hold. */
export function formatTicketNumber(prefix: string, sequence: number, numberDigits: number): string {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > maxTicketSequence(numberDigits)) {
    throw new RangeError(`ticket sequence ${sequence} does not fit ${numberDigits} digits`);
  }
  return prefix + String(sequence).padStart(numberDigits, '0');
}

/** "A023" → { prefix: "A", sequence: 23 }, or undefined for anything else. */
export function parseTicketNumber(number: string): { prefix: string; sequence: number } | undefined {
  const match = /^([A-Z])(\d{2,4})$/.exec(number);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return { prefix: match[1], sequence: Number(match[2]) };
}

/**
 * Number of a 一号联办 virtual ticket: the ticket's first matter keeps the printed
 * number, each further matter is counted for the clerk's workload as A023-2, A023-3 …
 */
export function virtualTicketNumber(ticketNumber: string, matterIndex: number): string {
  return matterIndex === 0 ? ticketNumber : `${ticketNumber}-${matterIndex + 1}`;
}

export type AnnouncementLanguage = 'zh' | 'en';
export type AnnouncementKind = 'call' | 'recall';

export interface CallAnnouncement {
  ticketNumber: string;
  /** `counter.number` as the display shows it, e.g. "3". */
  counterNumber: string;
  kind?: AnnouncementKind;
}

/** What the wall display and the voice say: 请A023号到3号窗口办理. */
export function callAnnouncementText(call: CallAnnouncement, language: AnnouncementLanguage): string {
  const again = call.kind === 'recall';
  if (language === 'zh') {
    return `请${call.ticketNumber}号${again ? '再次' : ''}到${call.counterNumber}号窗口办理`;
  }
  return `Ticket ${call.ticketNumber}, ${again ? 'calling again, ' : ''}please go to counter ${call.counterNumber}`;
}
