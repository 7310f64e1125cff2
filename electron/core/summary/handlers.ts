import type { DomainHandlers } from '../context';
import type { DischargeSummary } from '../../../shared/api/summary';
import { PLAN_ITEM_KINDS, type PlanItemKind } from '../../../shared/domain/clinical';
import { AppError } from '../../../shared/errors';
import { currentRow } from '../clinical/current';
import { loadOne, testRows } from '../discharge/release';
import { currentDischarge, loadHeader } from '../discharge/repo';
import { settingsOf } from '../settings/settings';
import { antiviralDecisions, latestMedicationList } from '../antiviral/handlers';

const KINDS = new Set<string>(PLAN_ITEM_KINDS);

/** A plan item as the plan editor stores it (shared/api/plans PlanItemSchema): kind, detail, start date, course. */
function describeItem(item: unknown): { kind: PlanItemKind; detail: string | null; startDate: string | null; courseDays: number | null } | null {
  if (typeof item !== 'object' || item === null) return null;
  const rec = item as Record<string, unknown>;
  if (typeof rec.kind !== 'string' || !KINDS.has(rec.kind)) return null;
  return {
    kind: rec.kind as PlanItemKind,
    detail: typeof rec.detail === 'string' && rec.detail.trim() !== '' ? rec.detail.trim() : null,
    startDate: typeof rec.startDate === 'string' ? rec.startDate : null,
    courseDays: typeof rec.courseDays === 'number' ? rec.courseDays : null,
  };
}

export const summaryHandlers: DomainHandlers<'summary'> = {
  get(ctx, { episodeId }) {
    const { header } = loadHeader(ctx, episodeId);
    const tz = settingsOf(ctx).timeZone;
    const patient = ctx
      .stmt<[number], { phone: string | null; community: string | null; risk_factors: string; allergies: string | null; chronic_medications: string | null }>(
        'SELECT phone, community, risk_factors, allergies, chronic_medications FROM patient WHERE id = ?',
      )
      .get(header.patientId);
    if (!patient) throw new AppError('NOT_FOUND', 'patient not found', { key: 'error.patient_not_found' });
    const placements = ctx
      .stmt<
        [number],
        {
          facility_name: string;
          facility_kind: 'designated' | 'fangcang' | 'isolation';
          ward_name: string;
          bed_label: string | null;
          start_at: string;
          end_at: string | null;
          began_by: string;
        }
      >(
        `SELECT f.name AS facility_name, f.kind AS facility_kind, w.name AS ward_name, b.label AS bed_label, pl.start_at, pl.end_at, pl.began_by
         FROM placement pl JOIN ward w ON w.id = pl.ward_id JOIN facility f ON f.id = w.facility_id LEFT JOIN bed b ON b.id = pl.bed_id
         WHERE pl.episode_id = ? ORDER BY pl.start_at, pl.id`,
      )
      .all(episodeId);
    const classes = ctx
      .stmt<[number], { at: string; class: string; decision: string }>(
        `SELECT c.assessed_at AS at, c.class, c.decision FROM class_assessment c WHERE c.episode_id = ? AND ${currentRow('class_assessment', 'c')} ORDER BY c.assessed_at, c.id`,
      )
      .all(episodeId);
    const tiers = ctx
      .stmt<[number], { at: string; tier: string }>(
        `SELECT t.at, t.tier FROM tier_assignment t WHERE t.episode_id = ? AND ${currentRow('tier_assignment', 't')} ORDER BY t.at, t.id`,
      )
      .all(episodeId);
    const versions = ctx
      .stmt<[number], { version: number; created_at: string; items: string }>('SELECT version, created_at, items FROM plan_version WHERE episode_id = ? ORDER BY version')
      .all(episodeId);
    const treatment = new Map<string, DischargeSummary['treatment'][number]>();
    for (const v of versions) {
      const items = JSON.parse(v.items) as unknown;
      if (!Array.isArray(items)) continue;
      for (const raw of items) {
        const item = describeItem(raw);
        if (!item) continue;
        const key = `${item.kind}|${item.detail ?? ''}|${item.startDate ?? ''}|${item.courseDays ?? ''}`;
        const seen = treatment.get(key);
        if (seen) seen.lastVersion = v.version;
        else treatment.set(key, { ...item, firstVersion: v.version, lastVersion: v.version, since: v.created_at });
      }
    }
    const discharge = currentDischarge(ctx, episodeId);
    const data = loadOne(ctx, episodeId);
    const end = header.endedAt ?? ctx.now;
    return {
      episodeId,
      timeZone: tz,
      generatedAt: ctx.now,
      generatedBy: ctx.actor.displayName,
      patient: {
        name: header.name,
        sex: header.sex,
        ageYears: header.ageYears,
        idCardMasked: header.idCardMasked,
        phone: patient.phone,
        community: patient.community,
        riskFactors: JSON.parse(patient.risk_factors) as string[],
        allergies: patient.allergies,
        chronicMedications: patient.chronic_medications,
      },
      admittedAt: header.admittedAt,
      endedAt: header.endedAt,
      status: header.status,
      // 住院天数, the one definition (shared/domain/time.ts lengthOfStayDays), as the discharge list shows it.
      lengthOfStayDays: header.lengthOfStayDays,
      placements: placements.map((p) => ({
        facilityName: p.facility_name,
        facilityKind: p.facility_kind,
        wardName: p.ward_name,
        bedLabel: p.bed_label,
        startAt: p.start_at,
        endAt: p.end_at,
        beganBy: p.began_by,
      })),
      classes,
      tiers,
      tests: data ? testRows(data, end) : [],
      treatment: [...treatment.values()],
      medications: latestMedicationList(ctx, header.patientId),
      antivirals: antiviralDecisions(ctx, episodeId).reverse(),
      discharge,
    };
  },
};
