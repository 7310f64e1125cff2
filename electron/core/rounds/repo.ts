import { getRuleSet, hasVitalSign, type News2Param, type News2Result, type VitalsObservation } from '../../../shared/clinical';
import { roundTo } from '../../../shared/clinical/time';
import type { EpisodeRound } from '../../../shared/clinical/evaluate';
import type { Round, RoundValues } from '../../../shared/api/rounds';
import type { Ctx } from '../context';
import { currentRow } from '../clinical/current';
import { SCORED_ROUND_COLUMNS, toEpisodeRound, type ScoredRoundRow } from '../clinical/load';
import { currentAge } from '../patients/repo';
import { settingsOf } from '../settings/settings';
import { signedMeta, signedSelect, type SignedMetaRow } from '../records/signed';

export type { RoundValues };

export interface NewRound extends RoundValues {
  episodeId: number;
  measuredAt: string;
  spo2Scale: 1 | 2;
  confirmedExtremes: string[];
  entryKind: 'original' | 'amendment' | 'entered_in_error';
  supersedesId: number | null;
  reason: string | null;
}

/** The vital signs of round values as NEWS2 reads them (a stored round's other fields aside). */
export function observationOf(measuredAt: string, v: RoundValues): Omit<EpisodeRound, 'id' | 'symptoms' | 'signs'> {
  return {
    measuredAt,
    respRate: v.respRate,
    spo2: v.spo2,
    onOxygen: v.onOxygen,
    systolicBp: v.systolicBp,
    pulse: v.pulse,
    consciousness: v.consciousness,
    temperature: v.temperature,
  };
}

const WINDOW_MS = 30 * 60_000;

/** Which value of an observation each NEWS2 parameter reads (air or oxygen: `onOxygen`). */
const PARAM_FIELD: Record<News2Param, keyof Omit<VitalsObservation, 'measuredAt'>> = {
  respRate: 'respRate',
  spo2: 'spo2',
  airOrOxygen: 'onOxygen',
  systolicBp: 'systolicBp',
  pulse: 'pulse',
  consciousness: 'consciousness',
  temperature: 'temperature',
};

/**
 * NEWS2 of a new observation at its own measured-at: combined with the current rounds of the 30
 * minutes before it (DESIGN.md §4), the new one counting as the most recent. `excludeId` leaves out
 * the round an amendment replaces. Computed before the insert, because the row is immutable once written.
 * Null when the observation itself measured nothing (issue 13: no measurement, no score). `withhold`
 * names parameters that must not be borrowed from the other rounds (the preview: a value typed but
 * invalid is missing, never replaced by an older one).
 */
export function news2ForObservation(
  ctx: Ctx,
  episodeId: number,
  obs: VitalsObservation,
  spo2Scale: 1 | 2,
  excludeId: number | null,
  withhold: readonly News2Param[] = [],
): News2Result | null {
  if (!hasVitalSign(obs)) return null;
  const from = new Date(Date.parse(obs.measuredAt) - WINDOW_MS).toISOString();
  const others = ctx
    .stmt<[number, string, string, number], ScoredRoundRow>(
      `SELECT ${SCORED_ROUND_COLUMNS}
       FROM round r WHERE r.episode_id = ? AND r.measured_at >= ? AND r.measured_at <= ? AND r.id <> ? AND ${currentRow('round', 'r')}
       ORDER BY r.measured_at, r.id`,
    )
    .all(episodeId, from, obs.measuredAt, excludeId ?? 0);
  const p = ctx
    .stmt<[number], { birth_date: string | null; age_years: number | null; risk_factors: string }>(
      'SELECT p.birth_date, p.age_years, p.risk_factors FROM episode e JOIN patient p ON p.id = e.patient_id WHERE e.id = ?',
    )
    .get(episodeId);
  const ageYears = p ? currentAge(p, ctx.now, settingsOf(ctx).timeZone) : null;
  const pregnant = p ? (JSON.parse(p.risk_factors) as string[]).includes('late_pregnancy_perinatal') : false;
  const borrowable = others.map((r) => {
    const o = toEpisodeRound(r);
    for (const p of withhold) o[PARAM_FIELD[p]] = null;
    return o;
  });
  return getRuleSet().news2([...borrowable, obs], { at: obs.measuredAt, spo2Scale, ageYears, pregnant });
}

export function insertRound(ctx: Ctx, r: NewRound, news2: News2Result | null): number {
  return Number(
    ctx
      .stmt(
        `INSERT INTO round (episode_id, measured_at, resp_rate, spo2, spo2_scale, on_oxygen, o2_device, o2_flow, systolic_bp, diastolic_bp, pulse,
           consciousness, temperature, symptoms, signs, note, confirmed_extremes, news2_total, news2_complete, news2_band,
           entered_at, author_id, entry_kind, supersedes_id, reason)
         VALUES (@episodeId, @measuredAt, @respRate, @spo2, @spo2Scale, @onOxygen, @o2Device, @o2Flow, @systolicBp, @diastolicBp, @pulse,
           @consciousness, @temperature, @symptoms, @signs, @note, @confirmedExtremes, @news2Total, @news2Complete, @news2Band,
           @now, @authorId, @entryKind, @supersedesId, @reason)`,
      )
      .run({
        ...r,
        onOxygen: r.onOxygen === null ? null : r.onOxygen ? 1 : 0,
        temperature: r.temperature === null ? null : roundTo(r.temperature, 1),
        o2Flow: r.o2Flow === null ? null : roundTo(r.o2Flow, 1),
        symptoms: r.symptoms === null ? null : JSON.stringify(r.symptoms),
        signs: JSON.stringify(r.signs),
        confirmedExtremes: JSON.stringify(r.confirmedExtremes),
        news2Total: news2?.total ?? null,
        news2Complete: news2 ? (news2.complete ? 1 : 0) : null,
        news2Band: news2?.band ?? null,
        now: ctx.now,
        authorId: ctx.actor.id,
      }).lastInsertRowid,
  );
}

export interface StoredRound extends SignedMetaRow {
  episode_id: number;
  measured_at: string;
  resp_rate: number | null;
  spo2: number | null;
  spo2_scale: 1 | 2;
  on_oxygen: 0 | 1 | null;
  o2_device: string | null;
  o2_flow: number | null;
  systolic_bp: number | null;
  diastolic_bp: number | null;
  pulse: number | null;
  consciousness: Round['consciousness'];
  temperature: number | null;
  symptoms: string | null;
  signs: string;
  note: string | null;
  confirmed_extremes: string;
  news2_total: number | null;
  news2_complete: 0 | 1 | null;
  news2_band: Round['news2Band'];
}

const { columns, joins } = signedSelect('round');
const ROUND_COLUMNS = `${columns}, r.episode_id, r.measured_at, r.resp_rate, r.spo2, r.spo2_scale, r.on_oxygen, r.o2_device, r.o2_flow,
  r.systolic_bp, r.diastolic_bp, r.pulse, r.consciousness, r.temperature, r.symptoms, r.signs, r.note, r.confirmed_extremes,
  r.news2_total, r.news2_complete, r.news2_band`;

/** Every version of every round of an episode, newest measurement first (index round_episode_measured). */
export function roundsOfEpisode(ctx: Ctx, episodeId: number): Round[] {
  return ctx.stmt<[number], StoredRound>(`SELECT ${ROUND_COLUMNS} FROM round r ${joins} WHERE r.episode_id = ? ORDER BY r.measured_at DESC, r.id DESC`).all(episodeId).map(toRound);
}

/** The current round measured last, for each episode of a ward (round mode's "last values"). */
export function lastRoundOf(ctx: Ctx, episodeId: number): Round | null {
  const row = ctx
    .stmt<[number], StoredRound>(
      `SELECT ${ROUND_COLUMNS} FROM round r ${joins} WHERE r.episode_id = ? AND ${currentRow('round', 'r')} ORDER BY r.measured_at DESC, r.id DESC LIMIT 1`,
    )
    .get(episodeId);
  return row ? toRound(row) : null;
}

export function toRound(r: StoredRound): Round {
  return {
    ...signedMeta(r),
    episodeId: r.episode_id,
    measuredAt: r.measured_at,
    respRate: r.resp_rate,
    spo2: r.spo2,
    spo2Scale: r.spo2_scale,
    onOxygen: r.on_oxygen === null ? null : r.on_oxygen === 1,
    o2Device: r.o2_device,
    o2Flow: r.o2_flow,
    systolicBp: r.systolic_bp,
    diastolicBp: r.diastolic_bp,
    pulse: r.pulse,
    consciousness: r.consciousness,
    temperature: r.temperature,
    symptoms: r.symptoms === null ? null : (JSON.parse(r.symptoms) as string[]),
    signs: JSON.parse(r.signs) as string[],
    note: r.note,
    confirmedExtremes: JSON.parse(r.confirmed_extremes) as string[],
    news2Total: r.news2_total,
    news2Complete: r.news2_complete === null ? null : r.news2_complete === 1,
    news2Band: r.news2_band,
  };
}
