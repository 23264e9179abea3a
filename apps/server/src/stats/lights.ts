import { workingDaysBetween, type WorkingCalendar } from './workingDays';

/**
 * 红黄牌 by the seed's rules (§1.1.2.1.5 item 7): a case on its due day is yellow, one
 * working day over is orange, more is red. "near" marks a case due on the next working
 * day (即将超时), so a manager sees it before it turns yellow.
 */
export type DeadlineLight = 'near' | 'yellow' | 'orange' | 'red';

export interface LightInput {
  dueDay: string;
  /** The day it was completed, or today for an open case. */
  referenceDay: string;
}

export interface LightResult {
  light: DeadlineLight | null;
  /** Working days past the due day (negative: still to go). */
  workingDaysOver: number;
}

export function deadlineLight(input: LightInput, cal: WorkingCalendar, open: boolean): LightResult {
  const over = workingDaysBetween(input.dueDay, input.referenceDay, cal);
  if (over > 1) return { light: 'red', workingDaysOver: over };
  if (over === 1) return { light: 'orange', workingDaysOver: over };
  // Same calendar day, or a non-working stretch after it: the due day has come.
  if (over === 0 && input.referenceDay >= input.dueDay) return { light: open ? 'yellow' : null, workingDaysOver: 0 };
  if (open && over === -1) return { light: 'near', workingDaysOver: over };
  return { light: null, workingDaysOver: over };
}
