import type { AppContract } from '../../shared/api';
import type { Handlers } from './context';
import { authHandlers } from './auth/handlers';
import { setupHandlers } from './setup/handlers';
import { facilityHandlers, wardHandlers } from './facilities/handlers';
import { patientHandlers } from './patients/handlers';
import { userHandlers } from './users/handlers';
import { settingsHandlers } from './settings/handlers';
import { auditHandlers } from './audit/handlers';
import { backupHandlers, exportHandlers } from './backup/handlers';
import { importHandlers } from './import/handlers';
import { fhirHandlers } from './fhir/handlers';
import { dischargeHandlers } from './discharge/handlers';
import { summaryHandlers } from './summary/handlers';
import { reportHandlers } from './reports/handlers';
import { queueHandlers } from './queue/handlers';
import { reviewHandlers } from './reviews/handlers';
import { transferHandlers } from './transfers/handlers';
import { bedHandlers } from './beds/handlers';
import { roundHandlers } from './rounds/handlers';
import { resultHandlers } from './results/handlers';
import { chartHandlers } from './chart/handlers';
import { classHandlers, tierHandlers } from './classes/handlers';
import { planHandlers } from './plans/handlers';
import { antiviralHandlers } from './antiviral/handlers';
import { securityHandlers } from './security/handlers';

/** One handler per contract call; a call without a handler is a compile error. */
export const handlers: Handlers<AppContract> = {
  auth: authHandlers,
  setup: setupHandlers,
  facilities: facilityHandlers,
  wards: wardHandlers,
  patients: patientHandlers,
  users: userHandlers,
  settings: settingsHandlers,
  audit: auditHandlers,
  backup: backupHandlers,
  export: exportHandlers,
  discharge: dischargeHandlers,
  summary: summaryHandlers,
  reports: reportHandlers,
  queue: queueHandlers,
  reviews: reviewHandlers,
  transfers: transferHandlers,
  beds: bedHandlers,
  import: importHandlers,
  fhir: fhirHandlers,
  rounds: roundHandlers,
  results: resultHandlers,
  chart: chartHandlers,
  classes: classHandlers,
  tiers: tierHandlers,
  plans: planHandlers,
  antiviral: antiviralHandlers,
  security: securityHandlers,
};
