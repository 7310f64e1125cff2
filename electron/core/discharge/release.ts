import type { Ctx } from '../context';
import { assessTest, getRuleSet, RESPIRATORY_SYMPTOMS, type NucleicAcidTest, type ReleaseCheck } from '../../../shared/clinical';
import type { FacilityKind } from '../../../shared/domain/enums';
import { localDate } from '../../../shared/domain/time';
import { currentRow } from '../clinical/current';
import { IMAGING_COLUMNS, imagingOf, type ImagingColumns } from '../results/imaging';

/**
 * Everything the release/discharge check (shared/clinical checkRelease) reads about one episode, loaded
 * from the current signed rows. Kept as raw series so one load can be evaluated at several instants
 * (the demo evaluates each day of a stay; a discharge is checked at its own time).
 */
export interface ReleaseData {
  episodeId: number;
  facilityKind: FacilityKind | null;
  tests: { id: number; collectedAt: string; nCt: number | null; orf1abCt: number | null; eCt: number | null; qualitative: 'positive' | 'negative' | null }[];
  temperatures: { at: string; value: number }[];
  /** Rounds with a symptoms list recorded (null = not asked, so not evidence either way). */
  symptomRounds: { at: string; symptoms: string[] }[];
  imaging: { performedAt: string; modality: 'ct' | 'xray'; pneumonia: boolean; progressionPct: number | null; improved: boolean | null; finding: string | null }[];
}

const RESPIRATORY = new Set<string>(RESPIRATORY_SYMPTOMS);

function group<T extends { episode_id: number }>(rows: readonly T[]): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const r of rows) {
    const list = m.get(r.episode_id);
    if (list) list.push(r);
    else m.set(r.episode_id, [r]);
  }
  return m;
}

/**
 * Loads the release inputs of a set of episodes in four queries. `episodeSql` selects the episode ids
 * (a subquery with `?` parameters given in `params`); `facilityKind` is the facility of each episode's
 * current (or last) placement.
 */
export function loadReleaseData(ctx: Ctx, episodeSql: string, params: readonly unknown[], temperaturesSince: string | null = null): Map<number, ReleaseData> {
  const kinds = ctx
    .stmt<unknown[], { episode_id: number; kind: FacilityKind }>(
      `SELECT pl.episode_id, f.kind FROM placement pl JOIN ward w ON w.id = pl.ward_id JOIN facility f ON f.id = w.facility_id
       WHERE pl.episode_id IN (${episodeSql})
         AND pl.id = (SELECT p2.id FROM placement p2 WHERE p2.episode_id = pl.episode_id ORDER BY p2.end_at IS NULL DESC, p2.start_at DESC, p2.id DESC LIMIT 1)`,
    )
    .all(...params);
  const tests = group(
    ctx
      .stmt<
        unknown[],
        { episode_id: number; id: number; collected_at: string; n_ct: number | null; orf1ab_ct: number | null; e_ct: number | null; qualitative: 'positive' | 'negative' | null }
      >(
        `SELECT r.episode_id, r.id, r.collected_at, r.n_ct, r.orf1ab_ct, r.e_ct, r.qualitative FROM lab_result r
         WHERE r.episode_id IN (${episodeSql}) AND r.analyte = 'nucleic_acid' AND ${currentRow('lab_result', 'r')}
         ORDER BY r.episode_id, r.collected_at, r.id`,
      )
      .all(...params),
  );
  const rounds = group(
    ctx
      .stmt<unknown[], { episode_id: number; measured_at: string; temperature: number | null; symptoms: string | null }>(
        `SELECT r.episode_id, r.measured_at, r.temperature, r.symptoms FROM round r
         WHERE r.episode_id IN (${episodeSql}) AND (r.temperature IS NOT NULL OR r.symptoms IS NOT NULL)
           AND r.measured_at >= ? AND ${currentRow('round', 'r')}
         ORDER BY r.episode_id, r.measured_at, r.id`,
      )
      .all(...params, temperaturesSince ?? ''),
  );
  const imaging = group(
    ctx
      .stmt<unknown[], ImagingColumns & { episode_id: number }>(
        `SELECT r.episode_id, ${IMAGING_COLUMNS} FROM imaging r
         WHERE r.episode_id IN (${episodeSql}) AND ${currentRow('imaging', 'r')}
         ORDER BY r.episode_id, r.performed_at, r.id`,
      )
      .all(...params),
  );

  const out = new Map<number, ReleaseData>();
  for (const k of kinds) {
    const id = k.episode_id;
    const rs = rounds.get(id) ?? [];
    out.set(id, {
      episodeId: id,
      facilityKind: k.kind,
      tests: (tests.get(id) ?? []).map((t) => ({ id: t.id, collectedAt: t.collected_at, nCt: t.n_ct, orf1abCt: t.orf1ab_ct, eCt: t.e_ct, qualitative: t.qualitative })),
      temperatures: rs.filter((r) => r.temperature !== null).map((r) => ({ at: r.measured_at, value: r.temperature as number })),
      symptomRounds: rs.filter((r) => r.symptoms !== null).map((r) => ({ at: r.measured_at, symptoms: JSON.parse(r.symptoms as string) as string[] })),
      imaging: (imaging.get(id) ?? []).map(imagingOf),
    });
  }
  return out;
}

export function loadOne(ctx: Ctx, episodeId: number): ReleaseData | undefined {
  return loadReleaseData(ctx, 'SELECT ?', [episodeId]).get(episodeId);
}

export interface SymptomEvidence {
  latestAt: string | null;
  latest: string[];
  latestRespiratory: number;
  peakRespiratory: number;
  peakAt: string | null;
}

const respiratoryCount = (symptoms: readonly string[]) => symptoms.filter((s) => RESPIRATORY.has(s)).length;

/**
 * §12 (二) 2 呼吸道症状明显好转, read from the rounds' symptom lists: met when the latest round lists no
 * respiratory symptom, or fewer than the worst round of the stay; not met when it lists as many as the
 * worst; unknown without any symptom list.
 */
export function symptomEvidence(data: ReleaseData, at: string): SymptomEvidence & { improved: boolean | null } {
  const rounds = data.symptomRounds.filter((r) => r.at <= at);
  const latest = rounds[rounds.length - 1];
  if (!latest) return { latestAt: null, latest: [], latestRespiratory: 0, peakRespiratory: 0, peakAt: null, improved: null };
  let peak = rounds[0] as (typeof rounds)[number];
  for (const r of rounds) if (respiratoryCount(r.symptoms) > respiratoryCount(peak.symptoms)) peak = r;
  const latestRespiratory = respiratoryCount(latest.symptoms);
  const peakRespiratory = respiratoryCount(peak.symptoms);
  return {
    latestAt: latest.at,
    latest: latest.symptoms,
    latestRespiratory,
    peakRespiratory,
    peakAt: peakRespiratory > 0 ? peak.at : null,
    improved: latestRespiratory === 0 || latestRespiratory < peakRespiratory,
  };
}

/**
 * §12 (二) 3 肺部影像学显示急性渗出性病变明显改善: the latest imaging decides — marked improved, or no
 * pneumonia on it, is met; marked not improved, or pneumonia without a judgement, is not met. Without
 * imaging it is unknown (a clinician can still discharge with a reason).
 */
export function imagingImproved(data: ReleaseData, at: string): boolean | null {
  const done = data.imaging.filter((i) => i.performedAt <= at);
  const latest = done[done.length - 1];
  if (!latest) return null;
  if (latest.improved !== null) return latest.improved;
  return !latest.pneumonia;
}

export function testsAt(data: ReleaseData, at: string): NucleicAcidTest[] {
  return data.tests.filter((t) => t.collectedAt <= at).map((t) => ({ collectedAt: t.collectedAt, nCt: t.nCt, orf1abCt: t.orf1abCt, qualitative: t.qualitative }));
}

/** The check of shared/clinical at instant `at`, from the data recorded up to then. */
export function evaluateRelease(data: ReleaseData, at: string): ReleaseCheck {
  const facilityKind = data.facilityKind ?? 'designated';
  // Fangcang and isolation points check the nucleic-acid criterion only (§12 (一)); the other inputs are not read there.
  const hospital = facilityKind === 'designated';
  return getRuleSet().checkRelease({
    now: at,
    facilityKind,
    nucleicAcidTests: testsAt(data, at),
    temperatures: hospital ? data.temperatures.filter((t) => t.at <= at) : [],
    respiratorySymptomsImproved: hospital ? symptomEvidence(data, at).improved : null,
    imagingImproved: hospital ? imagingImproved(data, at) : null,
  });
}

/** When the nucleic-acid criterion was met: collection of the later sample of the qualifying pair. */
export function criteriaMetAt(check: ReleaseCheck): string | null {
  const na = check.criteria.find((c) => c.code === 'nucleic_acid');
  if (!na || na.status !== 'met') return null;
  const at = na.evidence.latestCollectedAt;
  return typeof at === 'string' ? at : null;
}

export function testRows(data: ReleaseData, at: string) {
  return data.tests
    .filter((t) => t.collectedAt <= at)
    .map((t) => ({ ...t, ...assessTest({ collectedAt: t.collectedAt, nCt: t.nCt, orf1abCt: t.orf1abCt, qualitative: t.qualitative }) }));
}

/** Temperature per local day (max, min, count), newest first, over the last `days` days up to `at`. */
export function temperatureDays(data: ReleaseData, at: string, tz: string, feverC: number, days = 7) {
  const byDay = new Map<string, { max: number; min: number; readings: number }>();
  for (const r of data.temperatures) {
    if (r.at > at) continue;
    const d = localDate(r.at, tz);
    const cur = byDay.get(d);
    if (cur) {
      cur.max = Math.max(cur.max, r.value);
      cur.min = Math.min(cur.min, r.value);
      cur.readings += 1;
    } else byDay.set(d, { max: r.value, min: r.value, readings: 1 });
  }
  return [...byDay.entries()]
    .sort((a, b) => (a[0] < b[0] ? 1 : -1))
    .slice(0, days)
    .map(([date, v]) => ({ date, ...v, fever: v.max >= feverC }));
}
