/** Ids shared by the demo catalogue and the demo hall layout (kept apart to avoid import cycles). */

export const HALL_ID = 'hall.shanwei-psb';

export const DEPARTMENT = {
  household: 'dept.household',
  exitEntry: 'dept.exit-entry',
  vehicle: 'dept.vehicle',
} as const;

export const QUEUE = {
  household: 'queue.household',
  exitEntry: 'queue.exit-entry',
  vehicle: 'queue.vehicle',
  pickup: 'queue.pickup',
} as const;

export const FORM = {
  certificate: 'form.household-certificate',
  kinship: 'form.kinship-certificate',
  transferIn: 'form.household-transfer-in',
  idCard: 'form.id-card',
  residencePermit: 'form.residence-permit',
  birth: 'form.birth-registration',
  nameChange: 'form.name-change',
  exitEntry: 'form.exit-entry-document',
  driverLicence: 'form.driver-licence',
} as const;
