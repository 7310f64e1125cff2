import { auth } from './auth';
import { setup } from './setup';
import { facilities, wards } from './facilities';
import { patients } from './patients';
import { users } from './users';
import { settings } from './settings';
import { audit } from './audit';
import { backup, exportData } from './backup';
import { discharge } from './discharge';
import { summary } from './summary';
import { reports } from './reports';
import { queue } from './queue';
import { reviews } from './reviews';
import { transfers } from './transfers';
import { beds } from './beds';
import { importCases } from './import';
import { fhir } from './fhir';
import { rounds } from './rounds';
import { results } from './results';
import { chart } from './chart';
import { classes, tiers } from './classes';
import { plans } from './plans';
import { antiviral } from './antiviral';
import { security } from './security';
import { channelsOf } from './define';

/**
 * The whole IPC contract: every call the renderer can make, defined once. The preload allow-list,
 * the renderer client and the main-side registration all derive from this object.
 */
export const contract = {
  auth,
  setup,
  facilities,
  wards,
  patients,
  users,
  settings,
  audit,
  backup,
  export: exportData,
  discharge,
  summary,
  reports,
  queue,
  reviews,
  transfers,
  beds,
  import: importCases,
  fhir,
  rounds,
  results,
  chart,
  classes,
  tiers,
  plans,
  antiviral,
  security,
} as const;
export type AppContract = typeof contract;

export const CHANNELS: readonly string[] = Object.freeze(channelsOf(contract));

export * from './define';
