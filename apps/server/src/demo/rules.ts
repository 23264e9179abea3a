import type { CallingRules } from '@hall/shared';

/**
 * Calling rules of the demo hall. The seed (§1.1.2.1.5) fixes two numbers: a 60 s
 * countdown after a call, and a missed ticket called again about ten minutes later;
 * the rest are common hall practice.
 */
export const demoCallingRules: CallingRules = {
  priorityGroups: [
    { id: 'priority.elderly', name: { zh: '60周岁以上老年人', en: 'Seniors (60+)' }, minAge: 60 },
    { id: 'priority.disabled', name: { zh: '残疾人', en: 'Persons with disabilities' } },
    { id: 'priority.military', name: { zh: '现役军人、退役军人及军属', en: 'Service members, veterans and their families' } },
    { id: 'priority.pregnant', name: { zh: '孕妇及怀抱婴儿者', en: 'Pregnant women and carers of infants' } },
  ],
  normalPerPriority: 2,
  maxRecalls: 3,
  missedRecallWindowMinutes: 30,
  minSecondsBetweenRecalls: 20,
  appointmentEarlyMinutes: 30,
  appointmentLateMinutes: 15,
  callCountdownSeconds: 60,
  ratingTimeoutSeconds: 20,
  waitEstimateSampleSize: 50,
};
