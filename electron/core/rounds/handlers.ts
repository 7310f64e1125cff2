import { AppError } from '../../../shared/errors';
import { news2Response, validateVitals, type News2Response, type News2Result, type VitalField } from '../../../shared/clinical';
import { dayOfStay } from '../../../shared/domain/time';
import type { RoundWard } from '../../../shared/api/rounds';
import type { Ctx, DomainHandlers } from '../context';
import { currentAge, type PatientIdentity } from '../patients/repo';
import { settingsOf } from '../settings/settings';
import { insertRound, lastRoundOf, news2ForObservation, observationOf, roundsOfEpisode, type RoundValues, type StoredRound } from './repo';
import { beginCorrection, checkObservedAt, episodeForWrite, type EpisodeForWrite, auditWithdrawal } from '../records/signed';
import { previewRound } from './preview';
import { escalate, measuredSince, notDoneSince, pendingEscalationsOfWard, recordNotDone } from './escalation';

/** Round mode's default "this round" without a start time: the longest NEWS2 monitoring interval (q12h, RCP 2017 Chart 4). */
const ROUND_DEFAULT_HOURS = 12;

/** The clinical response a saved score calls for (RCP 2017 Chart 4), or null. */
function escalationOf(news2: News2Result | null): News2Response | null {
  return news2 ? news2Response(news2.total, news2.anySingleThree) : null;
}

/** validateVitals names the oxygen flow `oxygenFlow`; the round's field is `o2Flow`. */
export const formField = (f: VitalField): string => (f === 'oxygenFlow' ? 'o2Flow' : f);

export function vitalsOf(v: RoundValues): Partial<Record<VitalField, number | null>> {
  return { respRate: v.respRate, spo2: v.spo2, systolicBp: v.systolicBp, diastolicBp: v.diastolicBp, pulse: v.pulse, temperature: v.temperature, oxygenFlow: v.o2Flow };
}

/**
 * Plausible-but-extreme values (shared/clinical validateVitals warnings) are saved only when the user
 * confirmed each one; returns the confirmations that applied, stored in round.confirmed_extremes.
 */
function checkExtremes(v: RoundValues, confirmed: readonly VitalField[]): VitalField[] {
  const { warnings } = validateVitals(vitalsOf(v));
  const unconfirmed = warnings.filter((w) => !confirmed.includes(w.field as VitalField));
  if (unconfirmed.length > 0) {
    throw new AppError('VALIDATION', 'unusual values need confirmation', {
      key: 'rounds.confirm_extremes',
      issues: unconfirmed.map((w) => ({
        field: formField(w.field as VitalField),
        key: 'rounds.extreme_unconfirmed',
        params: { plausibleMin: w.plausibleMin, plausibleMax: w.plausibleMax },
      })),
    });
  }
  return warnings.map((w) => w.field as VitalField);
}

/**
 * SpO2 scale 2 is a clinical decision for a patient with hypercapnic respiratory failure (RCP 2017):
 * a doctor may change the episode's scale from a round; a nurse records on the scale in force.
 */
function resolveScale(ctx: Ctx, ep: EpisodeForWrite, requested: 1 | 2 | undefined): 1 | 2 {
  if (requested === undefined || requested === ep.spo2_scale) return ep.spo2_scale;
  if (ctx.actor.role !== 'ward_doctor') throw AppError.field('spo2Scale', 'rounds.scale_doctor_only');
  ctx.stmt('UPDATE episode SET spo2_scale = ? WHERE id = ?').run(requested, ep.id);
  ctx.audit({ action: 'episode.spo2_scale', entity: 'episode', entityId: ep.id, patientId: ep.patient_id, before: { spo2Scale: ep.spo2_scale }, after: { spo2Scale: requested } });
  return requested;
}

function auditValues(v: RoundValues & { measuredAt: string; spo2Scale: number }) {
  const { note, ...rest } = v;
  return { ...rest, note };
}

export const roundHandlers: DomainHandlers<'rounds'> = {
  record(ctx, input) {
    const ep = episodeForWrite(ctx, input.episodeId);
    checkObservedAt(ctx, 'measuredAt', input.measuredAt, ep);
    const confirmed = checkExtremes(input, input.confirmedExtremes);
    const spo2Scale = resolveScale(ctx, ep, input.spo2Scale);
    const news2 = news2ForObservation(ctx, ep.id, observationOf(input.measuredAt, input), spo2Scale, null);
    const values: RoundValues = input;
    const roundId = insertRound(
      ctx,
      { ...values, episodeId: ep.id, measuredAt: input.measuredAt, spo2Scale, confirmedExtremes: confirmed, entryKind: 'original', supersedesId: null, reason: null },
      news2,
    );
    ctx.audit({
      action: 'round.record',
      entity: 'round',
      entityId: roundId,
      patientId: ep.patient_id,
      after: {
        ...auditValues({ ...values, measuredAt: input.measuredAt, spo2Scale }),
        confirmedExtremes: confirmed,
        news2: news2?.total ?? null,
        news2Complete: news2?.complete ?? null,
      },
    });
    ctx.touchEpisode(ep.id);
    // The reply carries the next observation time: the state this call commits, computed once.
    const state = ctx.freshState(ep.id);
    return { roundId, news2, escalation: escalationOf(news2), nextObsDueAt: state.nextObsDueAt };
  },

  amend(ctx, input) {
    const { original, ep } = beginCorrection<StoredRound>(ctx, 'round', input.roundId);
    checkObservedAt(ctx, 'measuredAt', input.measuredAt, ep);
    const confirmed = checkExtremes(input, input.confirmedExtremes);
    const spo2Scale = input.spo2Scale ?? original.spo2_scale;
    if (spo2Scale !== original.spo2_scale && ctx.actor.role !== 'ward_doctor') throw AppError.field('spo2Scale', 'rounds.scale_doctor_only');
    const news2 = news2ForObservation(ctx, ep.id, observationOf(input.measuredAt, input), spo2Scale, original.id);
    const values: RoundValues = input;
    const roundId = insertRound(
      ctx,
      {
        ...values,
        episodeId: ep.id,
        measuredAt: input.measuredAt,
        spo2Scale,
        confirmedExtremes: confirmed,
        entryKind: 'amendment',
        supersedesId: original.id,
        reason: input.reason,
      },
      news2,
    );
    ctx.audit({
      action: 'round.amend',
      entity: 'round',
      entityId: roundId,
      patientId: ep.patient_id,
      before: {
        roundId: original.id,
        measuredAt: original.measured_at,
        respRate: original.resp_rate,
        spo2: original.spo2,
        onOxygen: original.on_oxygen,
        systolicBp: original.systolic_bp,
        diastolicBp: original.diastolic_bp,
        pulse: original.pulse,
        consciousness: original.consciousness,
        temperature: original.temperature,
        symptoms: original.symptoms,
        note: original.note,
      },
      after: { ...auditValues({ ...values, measuredAt: input.measuredAt, spo2Scale }), confirmedExtremes: confirmed, news2: news2?.total ?? null },
      reason: input.reason,
    });
    ctx.touchEpisode(ep.id);
    // The reply carries the next observation time: the state this call commits, computed once.
    const state = ctx.freshState(ep.id);
    return { roundId, news2, escalation: escalationOf(news2), nextObsDueAt: state.nextObsDueAt };
  },

  enterInError(ctx, input) {
    const { original, ep } = beginCorrection<StoredRound>(ctx, 'round', input.roundId);
    const empty: RoundValues = {
      respRate: null,
      spo2: null,
      onOxygen: null,
      o2Device: null,
      o2Flow: null,
      systolicBp: null,
      diastolicBp: null,
      pulse: null,
      consciousness: null,
      temperature: null,
      symptoms: null,
      signs: [],
      note: null,
    };
    const roundId = insertRound(
      ctx,
      {
        ...empty,
        episodeId: ep.id,
        measuredAt: original.measured_at,
        spo2Scale: original.spo2_scale,
        confirmedExtremes: [],
        entryKind: 'entered_in_error',
        supersedesId: original.id,
        reason: input.reason,
      },
      null,
    );
    auditWithdrawal(ctx, ep, {
      action: 'round.entered_in_error',
      entity: 'round',
      markerId: roundId,
      withdrawn: original.id,
      before: { roundId: original.id, measuredAt: original.measured_at, authorId: original.author_id },
      reason: input.reason,
    });
    return { roundId };
  },

  listForEpisode(ctx, { episodeId }) {
    const exists = ctx.stmt<[number], { id: number }>('SELECT id FROM episode WHERE id = ?').get(episodeId);
    if (!exists) throw new AppError('NOT_FOUND', `episode ${episodeId} not found`, { key: 'records.episode_not_found' });
    return roundsOfEpisode(ctx, episodeId);
  },

  preview: previewRound,
  recordNotDone,
  escalate,

  ward(ctx, { wardId, since: sinceInput }): RoundWard {
    const ward = ctx
      .stmt<[number], { id: number; name: string; facilityName: string }>(
        'SELECT w.id, w.name, f.name AS facilityName FROM ward w JOIN facility f ON f.id = w.facility_id WHERE w.id = ?',
      )
      .get(wardId);
    if (!ward) throw new AppError('NOT_FOUND', `ward ${wardId} not found`, { key: 'error.ward_not_found' });
    const tz = settingsOf(ctx).timeZone;
    const since = sinceInput ?? new Date(Date.parse(ctx.now) - ROUND_DEFAULT_HOURS * 3_600_000).toISOString();
    const rows = ctx
      .stmt<[number], WardRoundRow>(
        `SELECT pl.bed_id, b.label, e.id AS episode_id, p.id AS patient_id, p.name, p.sex, p.birth_date, p.age_years, e.admitted_at, e.spo2_scale,
                es.current_class, es.proposed_class, es.news2_total, es.news2_band, es.news2_complete, es.next_obs_due_at, es.flags
         FROM placement pl
         JOIN episode e ON e.id = pl.episode_id
         JOIN patient p ON p.id = e.patient_id
         LEFT JOIN bed b ON b.id = pl.bed_id
         LEFT JOIN episode_state es ON es.episode_id = e.id
         WHERE pl.ward_id = ? AND pl.end_at IS NULL AND e.status = 'active'
         ORDER BY b.id IS NULL, b.sort, b.id, pl.start_at`,
      )
      .all(wardId);
    const escalations = pendingEscalationsOfWard(ctx, wardId);
    return {
      timeZone: tz,
      ward,
      beds: rows.map((r) => {
        const escalation = escalations.get(r.episode_id) ?? null;
        const notDone = notDoneSince(ctx, r.episode_id, since);
        return {
          bedId: r.bed_id,
          bedLabel: r.label,
          episodeId: r.episode_id,
          patientId: r.patient_id,
          name: r.name,
          sex: r.sex,
          ageYears: currentAge(r, ctx.now, tz),
          dayOfStay: dayOfStay(r.admitted_at, ctx.now, tz),
          spo2Scale: r.spo2_scale,
          currentClass: r.current_class,
          proposedClass: r.proposed_class,
          news2Total: r.news2_total,
          news2Band: r.news2_band,
          news2Complete: r.news2_complete === null ? null : r.news2_complete === 1,
          nextObsDueAt: r.next_obs_due_at,
          overdue: r.next_obs_due_at !== null && r.next_obs_due_at < ctx.now,
          flagCodes: r.flags ? (JSON.parse(r.flags) as { code: string }[]).map((f) => f.code) : [],
          last: lastRoundOf(ctx, r.episode_id),
          escalation,
          notDone,
          done: escalation === null && (notDone !== null || measuredSince(ctx, r.episode_id, since)),
        };
      }),
    };
  },
};

interface WardRoundRow extends PatientIdentity {
  bed_id: number | null;
  label: string | null;
  admitted_at: string;
  spo2_scale: 1 | 2;
  current_class: string | null;
  proposed_class: string | null;
  news2_total: number | null;
  news2_band: RoundWard['beds'][number]['news2Band'];
  news2_complete: 0 | 1 | null;
  next_obs_due_at: string | null;
  flags: string | null;
}
