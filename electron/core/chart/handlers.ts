import { AppError } from '../../../shared/errors';
import { getRuleSet, type ClassProposal } from '../../../shared/clinical';
import { maskIdCard } from '../../../shared/domain/idcard';
import { dayOfStay } from '../../../shared/domain/time';
import type { Chart, ChartHeader } from '../../../shared/api/chart';
import type { ClassAssessment, TierAssignment } from '../../../shared/api/classes';
import type { Imaging, LabResult } from '../../../shared/api/results';
import type { Ctx, DomainHandlers } from '../context';
import { computeSnapshot } from '../clinical/state';
import { settingsOf } from '../settings/settings';
import { roundsOfEpisode } from '../rounds/repo';
import { pendingEscalation } from '../rounds/escalation';
import { signedMeta, signedSelect, type SignedMetaRow, type SignedTable } from '../records/signed';
import { planVersions } from '../plans/handlers';
import { IMAGING_COLUMNS, imagingOf } from '../results/imaging';

interface EpisodeRow {
  episode_id: number;
  patient_id: number;
  name: string;
  sex: 'M' | 'F';
  id_card: string | null;
  status: ChartHeader['status'];
  admitted_at: string;
  spo2_scale: 1 | 2;
  allergies: string | null;
  chronic_medications: string | null;
  facility_name: string | null;
  facility_kind: ChartHeader['facilityKind'];
  ward_id: number | null;
  ward_name: string | null;
  bed_label: string | null;
}

function header(ctx: Ctx, episodeId: number): ChartHeader {
  const tz = settingsOf(ctx).timeZone;
  const e = ctx
    .stmt<[number], EpisodeRow>(
      `SELECT e.id AS episode_id, p.id AS patient_id, p.name, p.sex, p.id_card, e.status, e.admitted_at, e.spo2_scale,
              p.allergies, p.chronic_medications, f.name AS facility_name, f.kind AS facility_kind, w.id AS ward_id, w.name AS ward_name, b.label AS bed_label
       FROM episode e JOIN patient p ON p.id = e.patient_id
       LEFT JOIN placement pl ON pl.id = (SELECT id FROM placement WHERE episode_id = e.id ORDER BY end_at IS NULL DESC, start_at DESC LIMIT 1)
       LEFT JOIN ward w ON w.id = pl.ward_id
       LEFT JOIN facility f ON f.id = w.facility_id
       LEFT JOIN bed b ON b.id = pl.bed_id
       WHERE e.id = ?`,
    )
    .get(episodeId);
  if (!e) throw new AppError('NOT_FOUND', `episode ${episodeId} not found`, { key: 'records.episode_not_found' });
  const s = computeSnapshot(ctx, episodeId);
  const ended = ctx.stmt<[number], { ended_at: string | null }>('SELECT ended_at FROM episode WHERE id = ?').get(episodeId)?.ended_at ?? null;
  return {
    patientId: e.patient_id,
    episodeId,
    name: e.name,
    sex: e.sex,
    ageYears: s.ageYears,
    ageMonths: s.ageMonths,
    idCardMasked: maskIdCard(e.id_card),
    status: e.status,
    admittedAt: e.admitted_at,
    dayOfStay: dayOfStay(e.admitted_at, ended ?? ctx.now, tz),
    facilityName: e.facility_name,
    facilityKind: e.facility_kind,
    wardId: e.ward_id,
    wardName: e.ward_name,
    bedLabel: e.bed_label,
    spo2Scale: e.spo2_scale,
    riskFactors: s.riskFactors,
    allergies: e.allergies,
    chronicMedications: e.chronic_medications,
    currentClass: s.currentClass,
    worstClass: s.worstClass,
    proposal: s.proposal,
    tier: s.currentTier as ChartHeader['tier'],
    tierProposal: getRuleSet().proposeTier({ clinicalClass: s.currentClass ?? s.proposal.proposed, hasRiskFactors: s.riskFactors.length > 0, facilityKind: s.facilityKind }),
    news2: s.news2,
    escalation: pendingEscalation(ctx, episodeId),
    flags: s.flags,
    lastRoundAt: s.lastRoundAt,
    nextObsDueAt: e.status === 'active' ? s.nextObsDueAt : null,
    overdue: e.status === 'active' && s.nextObsDueAt !== null && s.nextObsDueAt < ctx.now,
  };
}

/**
 * Every version of an episode's signed rows of `table` (corrections included), newest first by the
 * `at` column: the signed meta (author, place in the correction chain) beside the row's own fields.
 */
function history<R, T>(ctx: Ctx, episodeId: number, table: SignedTable, own: string, at: string, map: (r: R) => T): (ReturnType<typeof signedMeta> & T)[] {
  const { columns, joins } = signedSelect(table);
  return ctx
    .stmt<[number], SignedMetaRow & R>(`SELECT ${columns}, ${own} FROM ${table} r ${joins} WHERE r.episode_id = ? ORDER BY r.${at} DESC, r.id DESC`)
    .all(episodeId)
    .map((r) => ({ ...signedMeta(r), ...map(r) }));
}

interface LabColumns {
  collected_at: string;
  analyte: string;
  value: number | null;
  n_ct: number | null;
  orf1ab_ct: number | null;
  e_ct: number | null;
  qualitative: LabResult['qualitative'];
  note: string | null;
}

const labs = (ctx: Ctx, episodeId: number): LabResult[] =>
  history(ctx, episodeId, 'lab_result', 'r.collected_at, r.analyte, r.value, r.n_ct, r.orf1ab_ct, r.e_ct, r.qualitative, r.note', 'collected_at', (r: LabColumns) => ({
    collectedAt: r.collected_at,
    analyte: r.analyte,
    value: r.value,
    ctN: r.n_ct,
    ctOrf1ab: r.orf1ab_ct,
    ctE: r.e_ct,
    qualitative: r.qualitative,
    note: r.note,
  }));

const imaging = (ctx: Ctx, episodeId: number): Imaging[] => history(ctx, episodeId, 'imaging', IMAGING_COLUMNS, 'performed_at', imagingOf);

interface ClassColumns {
  assessed_at: string;
  class: ClassAssessment['class'];
  proposed_class: ClassAssessment['proposedClass'];
  rule_set: string;
  proposal: string | null;
  decision: ClassAssessment['decision'];
  override_reason: string | null;
}

const classHistory = (ctx: Ctx, episodeId: number): ClassAssessment[] =>
  history(
    ctx,
    episodeId,
    'class_assessment',
    'r.assessed_at, r.class, r.proposed_class, r.rule_set, r.proposal, r.decision, r.override_reason',
    'assessed_at',
    (r: ClassColumns) => ({
      assessedAt: r.assessed_at,
      class: r.class,
      proposedClass: r.proposed_class,
      ruleSet: r.rule_set,
      criteria: r.proposal ? (JSON.parse(r.proposal) as ClassProposal).criteria.map((c) => c.code) : [],
      decision: r.decision,
      overrideReason: r.override_reason,
    }),
  );

interface TierColumns {
  at: string;
  tier: TierAssignment['tier'];
  proposed_tier: TierAssignment['proposedTier'];
  source: TierAssignment['source'];
}

const tierHistory = (ctx: Ctx, episodeId: number): TierAssignment[] =>
  history(ctx, episodeId, 'tier_assignment', 'r.at, r.tier, r.proposed_tier, r.source', 'at', (r: TierColumns) => ({
    at: r.at,
    tier: r.tier,
    proposedTier: r.proposed_tier,
    source: r.source,
  }));

export const chartHandlers: DomainHandlers<'chart'> = {
  get(ctx, { episodeId }): Chart {
    const head = header(ctx, episodeId);
    const rounds = roundsOfEpisode(ctx, episodeId);
    const labRows = labs(ctx, episodeId);
    const current = <T extends { status: string }>(rows: T[]) => rows.filter((r) => r.status === 'current');
    return {
      timeZone: settingsOf(ctx).timeZone,
      header: head,
      trends: {
        vitals: current(rounds)
          .slice()
          .reverse()
          .map((r) => ({
            at: r.measuredAt,
            respRate: r.respRate,
            spo2: r.spo2,
            onOxygen: r.onOxygen,
            pulse: r.pulse,
            systolicBp: r.systolicBp,
            diastolicBp: r.diastolicBp,
            temperature: r.temperature,
            news2: r.news2Total,
          })),
        ct: current(labRows)
          .filter((l) => l.analyte === 'nucleic_acid')
          .reverse()
          .map((l) => ({ at: l.collectedAt, ctN: l.ctN, ctOrf1ab: l.ctOrf1ab, ctE: l.ctE, qualitative: l.qualitative })),
      },
      rounds,
      labs: labRows,
      imaging: imaging(ctx, episodeId),
      classHistory: classHistory(ctx, episodeId),
      tierHistory: tierHistory(ctx, episodeId),
      plans: planVersions(ctx, episodeId),
    };
  },
};
