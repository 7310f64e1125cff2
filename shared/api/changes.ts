import { z } from 'zod';
import type { AppContract } from './index';
import type { ChannelOf } from './define';

/**
 * Change notices (DESIGN.md §11, live network): after every committed write the core raises one
 * notice saying *what* changed — kinds of record, wards, episodes — never any patient data. The server
 * pushes it over a WebSocket to every workstation whose ward scope it concerns; standalone, the desktop
 * shell raises the same notice in-process. Each screen's query cache then refetches exactly the reads
 * the notice can have changed (`affects`).
 */
export const CHANGE_KINDS = [
  /** Rounds, results, classes, tiers, plans, reviews, flags and snoozes: an episode's clinical record and derived state. */
  'clinical',
  /** Bed state, occupancy and placements. */
  'beds',
  /** Transfer requests and their reserved beds. */
  'transfers',
  /** Discharges and their amendments. */
  'discharge',
  /** Patients' identity and admission. */
  'patients',
  /** Accounts, roles, ward assignments, passwords. */
  'accounts',
  /** Facilities, wards and beds as configured. */
  'facilities',
  /** Backups held in the backups folder. */
  'backups',
  /** Case-list imports and their presets. */
  'imports',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

const Ids = z.array(z.number().int().positive()).max(10_000);

/** One committed change, as a workstation receives it. Validated again on arrival: it crosses a network. */
export const ChangeNoticeSchema = z.object({
  /** Moves on by one per notice the core raises; a gap tells a client it missed some, and it refetches everything. */
  seq: z.number().int().nonnegative(),
  /** Changes on this record begin again after a restart or a restore: a client that sees a new one refetches everything. */
  stream: z.string().max(64),
  at: z.string().max(40),
  /** The call that committed (`domain:verb`), and the audit actions it wrote (`round.record`…): what changed, for "new data since you opened it". */
  channel: z.string().max(100),
  actions: z.array(z.string().max(100)).max(50),
  by: z.object({ userId: z.number().int().nullable(), name: z.string().max(200).nullable(), workstation: z.string().max(200).nullable() }),
  kinds: z.array(z.enum(CHANGE_KINDS)).max(CHANGE_KINDS.length),
  /** Everything may have changed (a restore, an import, the demo data): every read refetches. */
  all: z.boolean(),
  /** The wards, facilities, episodes and patients whose records changed; empty when the change belongs to no ward. */
  wards: Ids,
  facilities: Ids,
  episodes: Ids,
  patients: Ids,
  /** Wards a transfer requested or given a bed by this write is heading for (every ward of the facility while none is chosen). */
  incoming: Ids,
});
export type ChangeNotice = z.infer<typeof ChangeNoticeSchema>;

/**
 * A notice as a workstation receives it: `own` when its own session made the change (the screen
 * already knows; no "new data since you opened it"), `incoming` when a transfer is heading for one of
 * the wards this ward doctor or nurse works in.
 */
export const ChangeMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), stream: z.string().max(64) }),
  z.object({ type: z.literal('notice'), notice: ChangeNoticeSchema, own: z.boolean(), incoming: z.boolean() }),
  /** The desktop app's own word on its link to the server (connected mode): down when the socket dropped, until it is open again. */
  z.object({ type: z.literal('link'), up: z.boolean() }),
]);
export type ChangeMessage = z.infer<typeof ChangeMessageSchema>;

type Domains = keyof AppContract;
export type QueryChannel = {
  [D in Domains & string]: { [V in keyof AppContract[D] & string]: AppContract[D][V] extends { kind: 'query' } ? `${D}:${V}` : never }[keyof AppContract[D] & string];
}[Domains & string];
type WriteChannel = Exclude<ChannelOf<AppContract>, QueryChannel>;

/** What each domain's writes change. `all`: every read may have changed. A domain whose calls are all reads changes nothing. */
const WRITES_BY_DOMAIN: { readonly [D in Domains]: readonly ChangeKind[] | 'all' } = {
  auth: [],
  setup: 'all',
  facilities: ['facilities', 'beds'],
  wards: ['facilities', 'beds'],
  patients: ['patients', 'beds', 'clinical'],
  users: ['accounts'],
  // The settings (time zone, SpO2 scale defaults, observation intervals…) enter what most screens compute.
  settings: 'all',
  audit: [],
  backup: ['backups'],
  export: [],
  discharge: ['discharge', 'beds', 'clinical'],
  summary: [],
  reports: [],
  queue: ['clinical'],
  reviews: ['clinical', 'transfers'],
  transfers: ['transfers', 'beds', 'clinical'],
  beds: ['beds', 'clinical'],
  import: ['imports'],
  fhir: [],
  rounds: ['clinical'],
  results: ['clinical'],
  chart: [],
  classes: ['clinical'],
  tiers: ['clinical'],
  plans: ['clinical'],
  antiviral: ['clinical'],
  // Keys, the recovery passphrase and plain leftovers: shown beside the backups, on the same admin screen.
  security: ['backups'],
};

/** The writes that change more, or less, than the rest of their domain. */
const WRITES_BY_CHANNEL: Partial<Record<WriteChannel, readonly ChangeKind[] | 'all'>> = {
  'auth:changePassword': ['accounts'],
  'backup:restore': 'all',
  'import:commit': 'all',
};

/** What a committed write changes: its kinds, or everything. */
export function writesOf(channel: string): readonly ChangeKind[] | 'all' {
  const own = (WRITES_BY_CHANNEL as Record<string, readonly ChangeKind[] | 'all' | undefined>)[channel];
  if (own) return own;
  const domain = channel.split(':')[0] ?? '';
  return Object.prototype.hasOwnProperty.call(WRITES_BY_DOMAIN, domain) ? WRITES_BY_DOMAIN[domain as Domains] : 'all';
}

const EPISODE_VIEW: readonly ChangeKind[] = ['clinical', 'beds', 'transfers', 'discharge', 'patients'];

/**
 * What each read shows, so a notice refetches exactly the reads it can have changed. Every query of
 * the contract is named (the type requires it): a new screen cannot forget to follow its data.
 * `audit`: the audit log shows every write.
 */
export const FOLLOWS: { readonly [C in QueryChannel]: readonly ChangeKind[] | 'audit' } = {
  'auth:session': ['accounts'],
  'auth:loginUsers': ['accounts'],
  'setup:status': ['accounts'],
  'facilities:list': ['facilities'],
  'wards:board': ['facilities', ...EPISODE_VIEW],
  'patients:search': ['patients', 'beds', 'discharge', 'transfers'],
  'patients:get': EPISODE_VIEW,
  'users:list': ['accounts'],
  'settings:get': [],
  'audit:verify': 'audit',
  'audit:list': 'audit',
  'audit:actions': 'audit',
  'audit:patientHistory': 'audit',
  'backup:list': ['backups'],
  'backup:inspect': ['backups'],
  'discharge:check': EPISODE_VIEW,
  'discharge:readyList': EPISODE_VIEW,
  'summary:get': EPISODE_VIEW,
  'reports:daily': EPISODE_VIEW,
  'reports:dischargeStats': ['discharge', 'patients'],
  'reports:drill': EPISODE_VIEW,
  'reports:csv': EPISODE_VIEW,
  'queue:list': EPISODE_VIEW,
  'reviews:list': ['clinical', 'transfers'],
  'reviews:day': ['clinical', 'transfers'],
  'transfers:listIncoming': ['transfers', 'beds', 'clinical'],
  'transfers:forEpisode': ['transfers', 'beds'],
  'beds:waiting': ['beds', 'patients', 'transfers', 'discharge'],
  'beds:freeBeds': ['beds', 'facilities', 'transfers'],
  'beds:availability': ['beds', 'facilities', 'transfers'],
  'import:preview': [],
  'import:presets': ['imports'],
  'import:history': ['imports'],
  'import:report': ['imports'],
  'rounds:listForEpisode': ['clinical'],
  'rounds:preview': ['clinical'],
  'rounds:ward': EPISODE_VIEW,
  'chart:get': EPISODE_VIEW,
  'antiviral:get': EPISODE_VIEW,
  'tiers:list': [],
  'plans:team': ['accounts'],
  'security:status': ['backups'],
};

/** The input fields that narrow a read to one record, and the part of a notice that names such records. */
const NARROWING: readonly (readonly [field: string, part: 'episodes' | 'patients' | 'wards' | 'facilities'])[] = [
  ['episodeId', 'episodes'],
  ['patientId', 'patients'],
  ['wardId', 'wards'],
  ['facilityId', 'facilities'],
];

/**
 * Whether a notice can have changed what a read showed: the read follows one of the kinds that
 * changed, and every record its input narrows it to is among those the notice names. A notice that
 * names no record of a part (a settings change names no ward) narrows nothing on that part.
 */
export function affects(notice: Pick<ChangeNotice, 'all' | 'kinds' | 'wards' | 'facilities' | 'episodes' | 'patients'>, channel: string, input: unknown): boolean {
  if (notice.all) return true;
  const follows = (FOLLOWS as Record<string, readonly ChangeKind[] | 'audit' | undefined>)[channel];
  // A read this table does not know (none, by its type) is refetched rather than left stale.
  if (follows === undefined || follows === 'audit') return true;
  if (!follows.some((k) => notice.kinds.includes(k))) return false;
  if (typeof input !== 'object' || input === null) return true;
  const fields = input as Record<string, unknown>;
  for (const [field, part] of NARROWING) {
    const id = fields[field];
    if (typeof id !== 'number' || notice[part].length === 0) continue;
    if (!notice[part].includes(id)) return false;
  }
  return true;
}

/**
 * Whether a workstation whose user works in `wards` hears the notice: a change of no ward's record
 * (accounts, settings) reaches everyone; a ward's change, only those who work in one of its wards.
 */
export function audible(notice: Pick<ChangeNotice, 'wards'>, wards: 'all' | ReadonlySet<number>): boolean {
  return wards === 'all' || notice.wards.length === 0 || notice.wards.some((w) => wards.has(w));
}

/** Whether the notice announces a transfer heading for this ward doctor's or nurse's wards (all wards when none is assigned). */
export function incomingTo(notice: Pick<ChangeNotice, 'incoming'>, role: string, wards: 'all' | ReadonlySet<number>): boolean {
  if (notice.incoming.length === 0 || (role !== 'ward_doctor' && role !== 'nurse')) return false;
  return wards === 'all' || notice.incoming.some((w) => wards.has(w));
}
