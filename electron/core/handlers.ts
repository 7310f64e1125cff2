import type { AppContract } from '../../shared/api';
import type { Handlers } from './context';
import { authHandlers, setupHandlers } from './auth/handlers';
import { facilityHandlers, wardHandlers } from './facilities/handlers';
import { patientHandlers } from './patients/handlers';
import { dischargeHandlers } from './discharge/handlers';
import { summaryHandlers } from './summary/handlers';
import { reportHandlers } from './reports/handlers';

/** One handler per contract call; a call without a handler is a compile error. */
export const handlers: Handlers<AppContract> = {
  auth: authHandlers,
  setup: setupHandlers,
  facilities: facilityHandlers,
  wards: wardHandlers,
  patients: patientHandlers,
  discharge: dischargeHandlers,
  summary: summaryHandlers,
  reports: reportHandlers,
};
