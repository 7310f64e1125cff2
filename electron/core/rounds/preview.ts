import { AppError } from '../../../shared/errors';
import { validateVitals, type VitalField } from '../../../shared/clinical';
import type { ParsedInputOf } from '../../../shared/api';
import type { AppContract } from '../../../shared/api';
import type { RoundPreview } from '../../../shared/api/rounds';
import type { Ctx } from '../context';
import { roundTo } from '../../../shared/clinical/time';
import { withRound, type EpisodeRound } from '../../../shared/clinical/evaluate';
import { evaluateLive, loadLive } from '../clinical/state';
import { news2ForObservation, observationOf, type RoundValues } from './repo';
import { loadCurrent, type SignedMetaRow } from '../records/signed';

type PreviewInput = ParsedInputOf<AppContract['rounds']['preview']>;

/** The NEWS2 parameters typed as numbers (the others are chosen, never invalid). */
const MEASURED_PARAMS = ['respRate', 'spo2', 'systolicBp', 'pulse', 'temperature'] as const;

/**
 * NEWS2, class proposal and flags for values the user is still typing, computed on the server by the
 * very evaluator that runs on save (shared/clinical/evaluate.ts): the episode's data is loaded as the
 * state refresh loads it, the typed round is added in memory as a save would store it, and both are
 * evaluated. Why not in the renderer: the proposal and the flags depend on rounds of the previous 30
 * minutes, imaging, labs, the confirmed class, reviews and snoozes — assembling those twice would let
 * the preview drift from what is saved. Nothing is written, not even inside the call.
 */
export function previewRound(ctx: Ctx, input: PreviewInput): RoundPreview {
  const measuredAt = input.measuredAt && input.measuredAt < ctx.now ? input.measuredAt : ctx.now;
  const raw: Partial<Record<VitalField, number | null>> = {
    respRate: input.respRate,
    spo2: input.spo2,
    systolicBp: input.systolicBp,
    diastolicBp: input.diastolicBp,
    pulse: input.pulse,
    temperature: input.temperature,
    oxygenFlow: input.o2Flow,
  };
  const { errors, warnings } = validateVitals(raw);
  const bad = new Set<VitalField>([...errors.map((e) => e.field as VitalField), ...input.unparsed]);
  const keep = (f: VitalField, v: number | null): number | null => (bad.has(f) ? null : v);
  const values: RoundValues = {
    respRate: keep('respRate', input.respRate),
    spo2: keep('spo2', input.spo2),
    onOxygen: input.onOxygen,
    o2Device: null,
    o2Flow: input.onOxygen ? keep('oxygenFlow', input.o2Flow) : null,
    systolicBp: keep('systolicBp', input.systolicBp),
    diastolicBp: keep('diastolicBp', input.diastolicBp),
    pulse: keep('pulse', input.pulse),
    consciousness: input.consciousness,
    temperature: keep('temperature', input.temperature),
    symptoms: input.symptoms,
    signs: input.signs,
    note: null,
  };

  const replaced = input.replacesId ? loadCurrent<SignedMetaRow & { episode_id: number; spo2_scale: 1 | 2 }>(ctx, 'round', input.replacesId) : null;
  const ep = ctx.stmt<[number], { spo2_scale: 1 | 2 }>('SELECT spo2_scale FROM episode WHERE id = ?').get(input.episodeId);
  if (!ep) throw new AppError('NOT_FOUND', `episode ${input.episodeId} not found`, { key: 'records.episode_not_found' });
  const spo2Scale = input.spo2Scale ?? replaced?.spo2_scale ?? ep.spo2_scale;
  // An honest preview (issue 13): it scores what is typed. A parameter typed but invalid is missing,
  // never replaced by an older value; one not typed may come from a round of the 30-minute window,
  // and is reported as borrowed with its time; nothing typed, no score.
  const invalid = MEASURED_PARAMS.filter((p) => bad.has(p));
  const news2 = news2ForObservation(ctx, input.episodeId, observationOf(measuredAt, values), spo2Scale, replaced?.id ?? null, invalid);
  const typed = observationOf(measuredAt, values);
  const borrowed = (news2?.parts ?? [])
    .filter((p) => (p.param === 'airOrOxygen' ? typed.onOxygen === null : typed[p.param] === null || typed[p.param] === undefined))
    .map((p) => ({ param: p.param, measuredAt: p.measuredAt }));
  // One load serves both sides; with an amendment, one spare round refills the windows it leaves.
  const data = loadLive(ctx, input.episodeId, replaced !== null);
  const before = evaluateLive(ctx, data);
  const after = evaluateLive(ctx, withRound(data, typedRound(measuredAt, values), replaced?.id ?? null));

  const had = new Set(before.flags.map((f) => f.code));
  const rename = (f: VitalField) => (f === 'oxygenFlow' ? 'o2Flow' : f);
  return {
    news2,
    borrowed,
    invalid,
    proposal: after.proposal,
    currentClass: after.currentClass,
    flags: after.flags.map((f) => ({ ...f, isNew: !had.has(f.code) })),
    errors: errors.map((e) => ({ field: rename(e.field as VitalField), min: e.min, max: e.max })),
    warnings: warnings.map((w) => ({ field: rename(w.field as VitalField), plausibleMin: w.plausibleMin, plausibleMax: w.plausibleMax })),
    nextObsDueAt: after.nextObsDueAt,
  };
}

/** The typed round as insertRound would store it (temperature to one decimal), under an id no stored round has. */
function typedRound(measuredAt: string, v: RoundValues): EpisodeRound {
  return {
    id: 0,
    ...observationOf(measuredAt, v),
    temperature: v.temperature === null ? null : roundTo(v.temperature, 1),
    symptoms: v.symptoms ?? [],
    signs: v.signs,
  };
}
