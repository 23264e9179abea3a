import type { LockerAlarm } from '@hall/shared';

/** What the locker screen says about a compartment's alarm, in both languages. */
export function lockerAlarm(compartmentId: string, kind: LockerAlarm['kind'], at: string): LockerAlarm {
  const message =
    kind === 'left_open'
      ? { zh: `${compartmentId}号柜门未关闭，请关好柜门`, en: `Door ${compartmentId} is open. Please close it.` }
      : kind === 'jammed'
        ? { zh: `${compartmentId}号柜门无法打开，请到窗口领取`, en: `Door ${compartmentId} would not open. Please collect your documents at a counter.` }
        : { zh: `${compartmentId}号柜需工作人员核查`, en: `Compartment ${compartmentId} needs a staff check.` };
  return { compartmentId, kind, at, message };
}
