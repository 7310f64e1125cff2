import { createHash } from 'node:crypto';
import type { Ctx } from '../context';
import type { BundleEntry, FhirResource } from '../../../shared/fhir/bundle';
import {
  CLASS_SEVERITY,
  COVID19_CONDITION,
  CT_CODES,
  DISPOSITION_CODES,
  ECHELON_SYSTEM,
  LAB_CODES,
  LOCATION_TYPE,
  NEWS2_RISK,
  QUALITATIVE_CODE,
  RESULT_CODES,
  UCUM,
  VITAL_CODES,
  type CtColumn,
  type VitalColumn,
} from '../../../shared/fhir/codes';
import { translate } from '../../../shared/i18n';
import { addDays } from '../../../shared/domain/time';
import type { ClinicalClass } from '../../../shared/clinical';
import type { DischargeDisposition } from '../../../shared/domain/clinical';
import type { RiskFlag } from '../../../shared/clinical';
import { currentRow } from '../clinical/current';

/** A stable urn:uuid per Echelon row (SHA-1 name-based, RFC 4122 §4.3 layout), so re-exports reference alike. */
export function urnOf(kind: string, id: number | string): string {
  const h = createHash('sha1').update(`echelon/${kind}/${id}`).digest('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

const zh = (key: string) => translate('zh-CN', key);
const ref = (kind: string, id: number | string) => ({ reference: urnOf(kind, id) });
const entry = (kind: string, id: number | string, resource: FhirResource): BundleEntry => ({ fullUrl: urnOf(kind, id), resource });
/** A place of the network as a FHIR Location (facility, ward or bed), inside its parent when it has one. */
const location = (kind: keyof typeof LOCATION_TYPE, id: number, name: string, partOf?: { reference: string }): BundleEntry =>
  entry(kind, id, {
    resourceType: 'Location',
    id: `${kind}-${id}`,
    status: 'active',
    name,
    mode: 'instance',
    physicalType: { coding: [LOCATION_TYPE[kind]] },
    ...(partOf ? { partOf } : {}),
  });
const CATEGORY = (code: 'vital-signs' | 'laboratory') => [
  { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code, display: code === 'vital-signs' ? 'Vital Signs' : 'Laboratory' }] },
];
const status = (entryKind: string) => (entryKind === 'amendment' ? 'amended' : 'final');

interface PatientRow {
  id: number;
  name: string;
  sex: 'M' | 'F';
  birth_date: string | null;
  id_card: string | null;
  phone: string | null;
  address: string | null;
  community: string | null;
}
interface EpisodeRow {
  id: number;
  status: 'active' | 'discharged' | 'deceased';
  admitted_at: string;
  ended_at: string | null;
  source: string;
}

/** Everything Echelon holds about one patient, as FHIR resources with the Locations they point to. */
export function patientEntries(ctx: Ctx, patientId: number): BundleEntry[] {
  const p = ctx.stmt<[number], PatientRow>('SELECT id, name, sex, birth_date, id_card, phone, address, community FROM patient WHERE id = ?').get(patientId);
  if (!p) return [];
  const episodes = ctx.stmt<[number], EpisodeRow>('SELECT id, status, admitted_at, ended_at, source FROM episode WHERE patient_id = ? ORDER BY admitted_at').all(patientId);
  const out: BundleEntry[] = [];
  const deceased = episodes.find((e) => e.status === 'deceased');
  out.push(
    entry('patient', p.id, {
      resourceType: 'Patient',
      id: `patient-${p.id}`,
      identifier: [
        { system: 'urn:echelon:patient', value: String(p.id) },
        ...(p.id_card
          ? [
              {
                type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'NI', display: 'National unique individual identifier' }], text: '居民身份证' },
                system: 'urn:echelon:resident-id-card-cn',
                value: p.id_card,
              },
            ]
          : []),
      ],
      name: [{ text: p.name }],
      gender: p.sex === 'M' ? 'male' : 'female',
      ...(p.birth_date ? { birthDate: p.birth_date } : {}),
      ...(p.phone ? { telecom: [{ system: 'phone', value: p.phone }] } : {}),
      ...(p.address || p.community ? { address: [{ use: 'home', ...(p.address ? { text: p.address } : {}), ...(p.community ? { line: [p.community] } : {}) }] } : {}),
      ...(deceased?.ended_at ? { deceasedDateTime: deceased.ended_at } : {}),
    }),
  );
  for (const e of episodes) out.push(...episodeEntries(ctx, p.id, e));
  return out;
}

/** What every resource of one episode refers to. */
interface EpisodeRefs {
  e: EpisodeRow;
  subject: { reference: string };
  encounter: { reference: string };
  ended: boolean;
}

function episodeEntries(ctx: Ctx, patientId: number, e: EpisodeRow): BundleEntry[] {
  const refs: EpisodeRefs = { e, subject: ref('patient', patientId), encounter: ref('episode', e.id), ended: e.status !== 'active' };
  const labs = labRows(ctx, e.id);
  return [
    ...encounterEntries(ctx, refs),
    ...roundEntries(ctx, refs),
    ...labEntries(labs, refs),
    conditionEntry(
      ctx,
      refs,
      labs.find((l) => l.analyte === 'nucleic_acid'),
    ),
    ...carePlanEntries(ctx, refs),
    ...flagEntries(ctx, refs),
  ];
}

/** The places of the stay (facility, ward, bed) and the Encounter that moves through them. */
function encounterEntries(ctx: Ctx, { e, subject, ended }: EpisodeRefs): BundleEntry[] {
  const out: BundleEntry[] = [];
  const placements = ctx
    .stmt<
      [number],
      { ward_id: number; ward_name: string; bed_id: number | null; label: string | null; facility_id: number; facility_name: string; start_at: string; end_at: string | null }
    >(
      `SELECT pl.ward_id, w.name AS ward_name, pl.bed_id, b.label, f.id AS facility_id, f.name AS facility_name, pl.start_at, pl.end_at
       FROM placement pl JOIN ward w ON w.id = pl.ward_id JOIN facility f ON f.id = w.facility_id LEFT JOIN bed b ON b.id = pl.bed_id
       WHERE pl.episode_id = ? ORDER BY pl.start_at, pl.id`,
    )
    .all(e.id);
  for (const pl of placements) {
    out.push(location('facility', pl.facility_id, pl.facility_name));
    out.push(location('ward', pl.ward_id, pl.ward_name, ref('facility', pl.facility_id)));
    if (pl.bed_id !== null) out.push(location('bed', pl.bed_id, pl.label ?? String(pl.bed_id), ref('ward', pl.ward_id)));
  }
  const discharge = ctx
    .stmt<[number], { disposition: DischargeDisposition }>(
      `SELECT disposition FROM discharge r WHERE r.episode_id = ? AND ${currentRow('discharge', 'r')} ORDER BY r.discharged_at DESC LIMIT 1`,
    )
    .get(e.id);
  out.push(
    entry('episode', e.id, {
      resourceType: 'Encounter',
      id: `encounter-${e.id}`,
      status: ended ? 'finished' : 'in-progress',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP', display: 'inpatient encounter' },
      subject,
      period: { start: e.admitted_at, ...(e.ended_at ? { end: e.ended_at } : {}) },
      hospitalization: {
        admitSource: { coding: [{ system: `${ECHELON_SYSTEM}/admission-source`, code: e.source, display: zh(`source.${e.source}`) }] },
        ...(discharge ? { dischargeDisposition: { coding: [DISPOSITION_CODES[discharge.disposition]] } } : {}),
      },
      // Locations over time: each placement, bed when the patient had one, else the ward (waiting list).
      location: placements.map((pl) => ({
        location: pl.bed_id !== null ? ref('bed', pl.bed_id) : ref('ward', pl.ward_id),
        status: pl.end_at ? 'completed' : 'active',
        period: { start: pl.start_at, ...(pl.end_at ? { end: pl.end_at } : {}) },
      })),
    }),
  );

  return out;
}

/** Each current round's vital signs as Observations, and its NEWS2 as a RiskAssessment. */
function roundEntries(ctx: Ctx, { e, subject, encounter }: EpisodeRefs): BundleEntry[] {
  const out: BundleEntry[] = [];
  const rounds = ctx
    .stmt<
      [number],
      Record<VitalColumn, number | null> & {
        id: number;
        measured_at: string;
        entered_at: string;
        entry_kind: string;
        news2_total: number | null;
        news2_complete: 0 | 1 | null;
        news2_band: string | null;
      }
    >(
      `SELECT id, measured_at, entered_at, entry_kind, resp_rate, pulse, spo2, systolic_bp, diastolic_bp, temperature, news2_total, news2_complete, news2_band
       FROM round r WHERE r.episode_id = ? AND ${currentRow('round', 'r')} ORDER BY r.measured_at, r.id`,
    )
    .all(e.id);
  for (const r of rounds) {
    const basis: { reference: string }[] = [];
    for (const col of Object.keys(VITAL_CODES) as VitalColumn[]) {
      const value = r[col];
      if (value === null) continue;
      const code = VITAL_CODES[col];
      const id = `round-${r.id}-${col.replace('_', '-')}`;
      basis.push({ reference: urnOf('obs', id) });
      out.push(
        entry('obs', id, {
          resourceType: 'Observation',
          id,
          status: status(r.entry_kind),
          category: CATEGORY('vital-signs'),
          code: { coding: code.codings },
          subject,
          encounter,
          effectiveDateTime: r.measured_at,
          issued: r.entered_at,
          valueQuantity: { value, unit: code.unit, system: UCUM, code: code.ucum },
        }),
      );
    }
    if (r.news2_total !== null && r.news2_band) {
      out.push(
        entry('risk', `news2-${r.id}`, {
          resourceType: 'RiskAssessment',
          id: `news2-round-${r.id}`,
          status: r.news2_complete === 1 ? 'final' : 'preliminary',
          subject,
          encounter,
          occurrenceDateTime: r.measured_at,
          method: { coding: [{ system: ECHELON_SYSTEM, code: 'news2', display: 'NEWS2 (Royal College of Physicians, 2017)' }] },
          basis,
          prediction: [
            {
              outcome: { text: 'Clinical deterioration' },
              qualitativeRisk: { coding: [NEWS2_RISK[r.news2_band] ?? NEWS2_RISK.low] },
              rationale: `NEWS2 ${r.news2_total}${r.news2_complete === 1 ? '' : ' (incomplete)'}`,
            },
          ],
        }),
      );
    }
  }

  return out;
}

type LabRow = Record<CtColumn, number | null> & {
  id: number;
  analyte: string;
  collected_at: string;
  entered_at: string;
  entry_kind: string;
  value: number | null;
  qualitative: 'positive' | 'negative' | null;
};

function labRows(ctx: Ctx, episodeId: number): LabRow[] {
  return ctx
    .stmt<[number], LabRow>(
      `SELECT id, analyte, collected_at, entered_at, entry_kind, value, n_ct, orf1ab_ct, e_ct, qualitative FROM lab_result r
       WHERE r.episode_id = ? AND ${currentRow('lab_result', 'r')} ORDER BY r.collected_at, r.id`,
    )
    .all(episodeId);
}

/** Nucleic-acid Ct values and the other labs as Observations. */
function labEntries(labs: readonly LabRow[], { subject, encounter }: EpisodeRefs): BundleEntry[] {
  const out: BundleEntry[] = [];
  for (const l of labs) {
    const base = {
      resourceType: 'Observation',
      status: status(l.entry_kind),
      category: CATEGORY('laboratory'),
      subject,
      encounter,
      effectiveDateTime: l.collected_at,
      issued: l.entered_at,
    };
    if (l.analyte === 'nucleic_acid') {
      for (const col of Object.keys(CT_CODES) as CtColumn[]) {
        const value = l[col];
        if (value === null) continue;
        const id = `lab-${l.id}-${col.replace('_', '-')}`;
        out.push(entry('obs', id, { ...base, id, code: { coding: [CT_CODES[col]] }, valueQuantity: { value, unit: 'Ct', system: UCUM, code: '{Ct}' } }));
      }
      if (l.qualitative) {
        const id = `lab-${l.id}-qualitative`;
        out.push(entry('obs', id, { ...base, id, code: { coding: [QUALITATIVE_CODE] }, valueCodeableConcept: { coding: [RESULT_CODES[l.qualitative]] } }));
      }
    } else if (l.value !== null && l.analyte in LAB_CODES) {
      const code = LAB_CODES[l.analyte as keyof typeof LAB_CODES];
      const id = `lab-${l.id}`;
      out.push(entry('obs', id, { ...base, id, code: { coding: [code.coding] }, valueQuantity: { value: l.value, unit: code.unit, system: UCUM, code: code.ucum } }));
    }
  }

  return out;
}

/** The infection as a Condition, with the current clinical class as its severity. */
function conditionEntry(ctx: Ctx, { e, subject, encounter, ended }: EpisodeRefs, firstPositive: LabRow | undefined): BundleEntry {
  const cls = ctx
    .stmt<[number], { class: ClinicalClass; assessed_at: string }>(
      `SELECT class, assessed_at FROM class_assessment r WHERE r.episode_id = ? AND ${currentRow('class_assessment', 'r')} ORDER BY r.assessed_at DESC, r.id DESC LIMIT 1`,
    )
    .get(e.id);
  const snomed = cls ? CLASS_SEVERITY[cls.class] : null;
  return entry('condition', e.id, {
    resourceType: 'Condition',
    id: `condition-${e.id}`,
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: ended ? 'resolved' : 'active' }] },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' }] }],
    ...(cls
      ? {
          severity: {
            coding: [{ system: `${ECHELON_SYSTEM}/clinical-class-cn-v9`, code: cls.class, display: zh(`class.${cls.class}`) }, ...(snomed ? [snomed] : [])],
            text: zh(`class.${cls.class}`),
          },
        }
      : {}),
    code: { coding: COVID19_CONDITION, text: '新型冠状病毒感染' },
    subject,
    encounter,
    onsetDateTime: firstPositive && firstPositive.collected_at < e.admitted_at ? firstPositive.collected_at : e.admitted_at,
    ...(e.ended_at && e.status === 'discharged' ? { abatementDateTime: e.ended_at } : {}),
    recordedDate: e.admitted_at,
  });
}

/** The current version of the plan (一人一策) as a CarePlan. */
function carePlanEntries(ctx: Ctx, { e, subject, encounter, ended }: EpisodeRefs): BundleEntry[] {
  const plan = ctx
    .stmt<[number], { id: number; version: number; created_at: string; goals: string | null; items: string; monitoring: string | null; next_review_due: string | null }>(
      'SELECT id, version, created_at, goals, items, monitoring, next_review_due FROM plan_version WHERE episode_id = ? ORDER BY version DESC LIMIT 1',
    )
    .get(e.id);
  if (!plan) return [];
  const items = JSON.parse(plan.items) as { kind: string; detail: string | null; startDate: string | null; courseDays: number | null }[];
  const notes = [plan.monitoring ? `monitoring: ${plan.monitoring}` : null, plan.next_review_due ? `next review due: ${plan.next_review_due}` : null].filter(
    (n): n is string => n !== null,
  );
  return [
    entry('careplan', plan.id, {
      resourceType: 'CarePlan',
      id: `careplan-${plan.id}`,
      status: ended ? 'completed' : 'active',
      intent: 'plan',
      title: `一人一策（第 ${plan.version} 版）`,
      ...(plan.goals ? { description: plan.goals } : {}),
      subject,
      encounter,
      created: plan.created_at,
      activity: items.map((i) => ({
        detail: {
          code: { coding: [{ system: `${ECHELON_SYSTEM}/plan-item`, code: i.kind, display: zh(`summary.item.${i.kind}`) }], ...(i.detail ? { text: i.detail } : {}) },
          status: ended ? 'completed' : 'in-progress',
          ...(i.startDate ? { scheduledPeriod: { start: i.startDate, ...(i.courseDays ? { end: addDays(i.startDate, i.courseDays - 1) } : {}) } } : {}),
          ...(i.detail ? { description: i.detail } : {}),
        },
      })),
      ...(notes.length ? { note: notes.map((text) => ({ text })) } : {}),
    }),
  ];
}

/** The open severe-risk flags of an active episode as one RiskAssessment. */
function flagEntries(ctx: Ctx, { e, subject, encounter, ended }: EpisodeRefs): BundleEntry[] {
  const state = ctx.stmt<[number], { flags: string; computed_at: string }>('SELECT flags, computed_at FROM episode_state WHERE episode_id = ?').get(e.id);
  const flags = state ? (JSON.parse(state.flags) as RiskFlag[]) : [];
  if (ended || !state || flags.length === 0) return [];
  return [
    entry('risk', `flags-${e.id}`, {
      resourceType: 'RiskAssessment',
      id: `flags-${e.id}`,
      status: 'final',
      subject,
      encounter,
      occurrenceDateTime: state.computed_at,
      method: { coding: [{ system: ECHELON_SYSTEM, code: 'severe-risk-flags-cn-v9', display: 'Severe-risk flags (China protocol trial v9 §7, Echelon trend rules)' }] },
      prediction: flags.map((f) => ({
        outcome: { coding: [{ system: `${ECHELON_SYSTEM}/flag`, code: f.code, display: zh(`flag.${f.code}`) }], text: zh(`flag.${f.code}`) },
        ...(f.since ? { whenPeriod: { start: f.since } } : {}),
      })),
    }),
  ];
}
