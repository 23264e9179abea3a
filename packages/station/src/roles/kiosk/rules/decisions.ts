import { LocalRejection, type CitizenRef, type CitizenView, type PriorityGroup } from '@hall/shared';

/** What the kiosk's rules need of a citizen identified here (the vault's IdentifiedCitizen is one). */
export interface IdentifiedHere {
  view: Pick<CitizenView, 'age'>;
  ref: CitizenRef;
}

/** The group with the highest age threshold the citizen reaches (60+ → elderly). */
export function priorityGroupForAge(groups: readonly PriorityGroup[], age: number | undefined): string | undefined {
  if (age === undefined) return undefined;
  let best: PriorityGroup | undefined;
  for (const group of groups) {
    if (group.minAge !== undefined && age >= group.minAge && (best?.minAge === undefined || group.minAge > best.minAge)) best = group;
  }
  return best?.id;
}

/** What the kiosk decided for a ticket or case, in place of what the screen says. */
export interface KioskDecision {
  citizen?: CitizenRef;
  priorityGroupId?: string;
}

/**
 * What the kiosk's own rules decide for a ticket or case: the citizen is the document
 * identified here (card, keypad, residence code), the priority group follows from that
 * citizen's age by the hall's current calling rules. Nobody identified: neither.
 */
export function kioskDecision(entry: IdentifiedHere | undefined, groups: readonly PriorityGroup[]): KioskDecision {
  if (!entry) return {};
  const priorityGroupId = priorityGroupForAge(groups, entry.view.age);
  return { citizen: entry.ref, ...(priorityGroupId ? { priorityGroupId } : {}) };
}

/** A citizen or priority group the screen sent is accepted only when it is what the kiosk decided. */
export function refuseUndecided(sent: { citizen?: CitizenRef | undefined; priorityGroupId?: string | undefined }, decided: KioskDecision): void {
  if (sent.citizen !== undefined && (sent.citizen.idHash !== decided.citizen?.idHash || sent.citizen.maskedName !== decided.citizen.maskedName)) {
    throw new LocalRejection('citizen_not_identified', 'the citizen is the one identified at this kiosk, not one the screen names');
  }
  if (sent.priorityGroupId !== undefined && sent.priorityGroupId !== decided.priorityGroupId) {
    throw new LocalRejection('priority_not_decided', `priority group ${sent.priorityGroupId} is not the one the hall's rules give this citizen`);
  }
}
