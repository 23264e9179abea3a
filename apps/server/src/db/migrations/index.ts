import { initial } from './001_initial';
import { syncTables } from './002_sync';
import { lockerDelegationTables, lockerTables } from '../../lockers/migration';
import { residenceCodeTables } from '../../residence-code/migration';
import { smsOutboxHall, smsTables } from '../../sms/migration';
import { statsTables } from '../../stats/migration';
import { statsRollupTables } from '../../stats/rollupMigration';
import { caseRefusedByColumn, deviceCounterColumn, enrollmentExpiryColumns, syncCaseFormTables } from '../../sync/migration';
import { consoleAdminTables } from '../../admin/migration';
import { dataKeyTables } from '../../secrets/migration';
import { lockerAlertTables } from '../../lockers/alerts';
import { syncLinkPeriodTables } from '../../sync/linkReport';
import { hallLanKeyTables } from '../../lan-keys/migration';
import { syncIdentityTables } from '../../sync/identity';
import { deviceClockOffsetColumns } from '../../sync/clockSkew';
import { clerkKeyTables, clerkSessionEndTables } from '../../sync/clerkKeys';
import { releasePasswordTables } from '../../release/migration';
import { noShowBlacklistTables } from '../../blacklist/migration';
import { queueConsultationPrefixColumn } from '../../queues/migration';
import { statsConsultationColumn } from '../../stats/consultationMigration';
import { appointmentMoreServicesColumn } from '../../appointments/migration';
import { residenceDataKeyTables } from '../../residence-code/dataKeys';
import { caseLifecycleTables } from '../../cases/migration';
import { phoneBookingTables } from '../../phone/booking/migration';
import { smsBatchTables } from '../../phone/batch/migration';
import { personalDataPurgeTables } from '../../phone/purge/migration';
import { caseHandoffColumns } from '../../handoff/migration';
import type { Migration } from './types';

export type { Migration } from './types';

/** Every migration in order; append new ones, never edit or reorder applied ones. */
export const migrations: readonly Migration[] = [initial, syncTables, residenceCodeTables, lockerTables, smsTables, statsTables, syncCaseFormTables, statsRollupTables, consoleAdminTables, dataKeyTables, lockerAlertTables, caseRefusedByColumn, smsOutboxHall, syncLinkPeriodTables, hallLanKeyTables, syncIdentityTables, enrollmentExpiryColumns, deviceCounterColumn, lockerDelegationTables, deviceClockOffsetColumns, clerkKeyTables, releasePasswordTables, noShowBlacklistTables, queueConsultationPrefixColumn, statsConsultationColumn, appointmentMoreServicesColumn, residenceDataKeyTables, clerkSessionEndTables, caseLifecycleTables, phoneBookingTables, smsBatchTables, personalDataPurgeTables, caseHandoffColumns];
