import type { Service } from '@hall/shared';
import { hongKongMacaoPermit, passport, taiwanPermit } from './exit-entry';
import { householdCertificate, kinshipCertificate } from './household-certificates';
import { birthRegistration, deathDeregistration, nameChange } from './household-records';
import { householdMoveWithinCity, householdTransferIn, householdTransferOut } from './household-transfer';
import { idCardFirstApplication, idCardRenewal, idCardReplacement } from './id-card';
import { residencePermit } from './residence-permit';
import { driverLicenceRenewal, driverLicenceReplacement, vehicleOwnershipTransfer } from './vehicle';

/**
 * The demo catalogue, in the order the kiosk lists it. Service codes (SW-GA-…) are the
 * demo hall's own; a real deployment takes the 事项编码 from the provincial catalogue.
 */
export const demoServices: Service[] = [
  householdCertificate,
  kinshipCertificate,
  residencePermit,
  idCardFirstApplication,
  idCardRenewal,
  idCardReplacement,
  householdTransferIn,
  householdTransferOut,
  householdMoveWithinCity,
  birthRegistration,
  deathDeregistration,
  nameChange,
  passport,
  hongKongMacaoPermit,
  taiwanPermit,
  driverLicenceRenewal,
  driverLicenceReplacement,
  vehicleOwnershipTransfer,
];
