import { AppError, type FieldIssue } from '../../../shared/errors';
import { LAB_LIMITS, validateLabs, type LabField } from '../../../shared/clinical';
import { LAB_PANEL, type PanelField } from '../../../shared/api/results';
import type { LabAnalyte } from '../../../shared/domain/clinical';
import type { Ctx, DomainHandlers } from '../context';
import { beginCorrection, checkObservedAt, episodeForWrite, auditWithdrawal } from '../records/signed';
import type { ImagingColumns } from './imaging';

interface NewLab {
  episodeId: number;
  collectedAt: string;
  analyte: LabAnalyte;
  value: number | null;
  ctN: number | null;
  ctOrf1ab: number | null;
  ctE: number | null;
  qualitative: 'positive' | 'negative' | null;
  note: string | null;
  entryKind: 'original' | 'amendment' | 'entered_in_error';
  supersedesId: number | null;
  reason: string | null;
}

interface StoredLab {
  id: number;
  episode_id: number;
  author_id: number;
  entry_kind: string;
  collected_at: string;
  analyte: LabAnalyte;
  value: number | null;
  n_ct: number | null;
  orf1ab_ct: number | null;
  e_ct: number | null;
  qualitative: 'positive' | 'negative' | null;
  note: string | null;
}

interface StoredImaging extends ImagingColumns {
  id: number;
  episode_id: number;
  author_id: number;
  entry_kind: string;
}

const FIELD_OF: Partial<Record<LabAnalyte, PanelField>> = Object.fromEntries(LAB_PANEL.map((p) => [p.analyte, p.field]));

function insertLab(ctx: Ctx, r: NewLab): number {
  return Number(
    ctx
      .stmt(
        `INSERT INTO lab_result (episode_id, collected_at, analyte, value, n_ct, orf1ab_ct, e_ct, qualitative, note, entered_at, author_id, entry_kind, supersedes_id, reason)
         VALUES (@episodeId, @collectedAt, @analyte, @value, @ctN, @ctOrf1ab, @ctE, @qualitative, @note, @now, @authorId, @entryKind, @supersedesId, @reason)`,
      )
      .run({ ...r, now: ctx.now, authorId: ctx.actor.id }).lastInsertRowid,
  );
}

function insertImaging(
  ctx: Ctx,
  r: {
    episodeId: number;
    performedAt: string;
    modality: string;
    pneumonia: boolean;
    progressionPct: number | null;
    improved: boolean | null;
    finding: string | null;
    entryKind: string;
    supersedesId: number | null;
    reason: string | null;
  },
): number {
  return Number(
    ctx
      .stmt(
        `INSERT INTO imaging (episode_id, performed_at, modality, pneumonia, progression_pct, improved, finding, entered_at, author_id, entry_kind, supersedes_id, reason)
         VALUES (@episodeId, @performedAt, @modality, @pneumonia, @progressionPct, @improved, @finding, @now, @authorId, @entryKind, @supersedesId, @reason)`,
      )
      .run({ ...r, pneumonia: r.pneumonia ? 1 : 0, improved: r.improved === null ? null : r.improved ? 1 : 0, now: ctx.now, authorId: ctx.actor.id }).lastInsertRowid,
  );
}

/** Plausible-but-extreme results (shared/clinical validateLabs warnings) need the user's confirmation. */
function checkLabExtremes(values: Partial<Record<LabField, number | null>>, confirmed: readonly LabField[], fieldPath: (f: LabField) => string): void {
  const { warnings } = validateLabs(values);
  const issues: FieldIssue[] = warnings
    .filter((w) => !confirmed.includes(w.field as LabField))
    .map((w) => ({ field: fieldPath(w.field as LabField), key: 'rounds.extreme_unconfirmed', params: { plausibleMin: w.plausibleMin, plausibleMax: w.plausibleMax } }));
  if (issues.length > 0) throw new AppError('VALIDATION', 'unusual results need confirmation', { key: 'rounds.confirm_extremes', issues });
}

export const resultHandlers: DomainHandlers<'results'> = {
  record(ctx, input) {
    const ep = episodeForWrite(ctx, input.episodeId);
    checkObservedAt(ctx, 'collectedAt', input.collectedAt, ep);
    const na = input.nucleicAcid;
    const labs = input.labs as Partial<Record<PanelField, number | null>>;
    checkLabExtremes({ ctN: na?.ctN, ctOrf1ab: na?.ctOrf1ab, ctE: na?.ctE, ...labs }, input.confirmedExtremes, (f) =>
      f === 'ctN' || f === 'ctOrf1ab' || f === 'ctE' ? `nucleicAcid.${f}` : `labs.${f}`,
    );
    const base = { episodeId: ep.id, collectedAt: input.collectedAt, note: input.note, entryKind: 'original' as const, supersedesId: null, reason: null };
    const resultIds: number[] = [];
    if (na) {
      const id = insertLab(ctx, { ...base, analyte: 'nucleic_acid', value: null, ctN: na.ctN, ctOrf1ab: na.ctOrf1ab, ctE: na.ctE, qualitative: na.qualitative });
      resultIds.push(id);
      ctx.audit({ action: 'lab.record', entity: 'lab_result', entityId: id, patientId: ep.patient_id, after: { analyte: 'nucleic_acid', collectedAt: input.collectedAt, ...na } });
    }
    for (const p of LAB_PANEL) {
      const value = labs[p.field];
      if (value === null || value === undefined) continue;
      const id = insertLab(ctx, { ...base, analyte: p.analyte, value, ctN: null, ctOrf1ab: null, ctE: null, qualitative: null });
      resultIds.push(id);
      ctx.audit({ action: 'lab.record', entity: 'lab_result', entityId: id, patientId: ep.patient_id, after: { analyte: p.analyte, collectedAt: input.collectedAt, value } });
    }
    ctx.touchEpisode(ep.id);
    return { resultIds };
  },

  recordImaging(ctx, input) {
    const ep = episodeForWrite(ctx, input.episodeId);
    checkObservedAt(ctx, 'performedAt', input.performedAt, ep);
    const { episodeId: _e, ...values } = input;
    const imagingId = insertImaging(ctx, { ...values, episodeId: ep.id, entryKind: 'original', supersedesId: null, reason: null });
    ctx.audit({ action: 'imaging.record', entity: 'imaging', entityId: imagingId, patientId: ep.patient_id, after: values });
    ctx.touchEpisode(ep.id);
    return { imagingId };
  },

  amend(ctx, input) {
    const { original, ep } = beginCorrection<StoredLab>(ctx, 'lab_result', input.resultId);
    checkObservedAt(ctx, 'collectedAt', input.collectedAt, ep);
    let row: Pick<NewLab, 'value' | 'ctN' | 'ctOrf1ab' | 'ctE' | 'qualitative'>;
    if (original.analyte === 'nucleic_acid') {
      const anyCt = input.ctN !== null || input.ctOrf1ab !== null || input.ctE !== null;
      if (!anyCt && input.qualitative === null) throw AppError.field('ctN', 'validation.ct_or_qualitative');
      if (anyCt && (input.ctN === null || input.ctOrf1ab === null)) throw AppError.field(input.ctN === null ? 'ctN' : 'ctOrf1ab', 'validation.ct_pair');
      checkLabExtremes({ ctN: input.ctN, ctOrf1ab: input.ctOrf1ab, ctE: input.ctE }, input.confirmedExtremes, (f) => f);
      row = { value: null, ctN: input.ctN, ctOrf1ab: input.ctOrf1ab, ctE: input.ctE, qualitative: input.qualitative };
    } else {
      const field = FIELD_OF[original.analyte];
      if (input.value === null || !field) throw AppError.field('value', 'validation.required');
      const limit = LAB_LIMITS[field];
      if (input.value < limit.min) throw AppError.field('value', 'validation.too_small', { min: limit.min });
      if (input.value > limit.max) throw AppError.field('value', 'validation.too_big', { max: limit.max });
      checkLabExtremes({ [field]: input.value }, input.confirmedExtremes, () => 'value');
      row = { value: input.value, ctN: null, ctOrf1ab: null, ctE: null, qualitative: null };
    }
    const resultId = insertLab(ctx, {
      ...row,
      episodeId: ep.id,
      collectedAt: input.collectedAt,
      analyte: original.analyte,
      note: input.note,
      entryKind: 'amendment',
      supersedesId: original.id,
      reason: input.reason,
    });
    ctx.audit({
      action: 'lab.amend',
      entity: 'lab_result',
      entityId: resultId,
      patientId: ep.patient_id,
      before: {
        resultId: original.id,
        analyte: original.analyte,
        collectedAt: original.collected_at,
        value: original.value,
        ctN: original.n_ct,
        ctOrf1ab: original.orf1ab_ct,
        ctE: original.e_ct,
        qualitative: original.qualitative,
      },
      after: { analyte: original.analyte, collectedAt: input.collectedAt, ...row },
      reason: input.reason,
    });
    ctx.touchEpisode(ep.id);
    return { resultId };
  },

  amendImaging(ctx, input) {
    const { original, ep } = beginCorrection<StoredImaging>(ctx, 'imaging', input.imagingId);
    checkObservedAt(ctx, 'performedAt', input.performedAt, ep);
    const { imagingId: _i, reason, ...values } = input;
    const imagingId = insertImaging(ctx, { ...values, episodeId: ep.id, entryKind: 'amendment', supersedesId: original.id, reason });
    ctx.audit({
      action: 'imaging.amend',
      entity: 'imaging',
      entityId: imagingId,
      patientId: ep.patient_id,
      before: {
        imagingId: original.id,
        performedAt: original.performed_at,
        pneumonia: original.pneumonia === 1,
        progressionPct: original.progression_pct,
        improved: original.improved,
        finding: original.finding,
      },
      after: values,
      reason,
    });
    ctx.touchEpisode(ep.id);
    return { imagingId };
  },

  enterInError(ctx, input) {
    if (input.kind === 'lab') {
      const { original, ep } = beginCorrection<StoredLab>(ctx, 'lab_result', input.id);
      const id = insertLab(ctx, {
        episodeId: ep.id,
        collectedAt: original.collected_at,
        analyte: original.analyte,
        value: null,
        ctN: null,
        ctOrf1ab: null,
        ctE: null,
        qualitative: null,
        note: null,
        entryKind: 'entered_in_error',
        supersedesId: original.id,
        reason: input.reason,
      });
      auditWithdrawal(ctx, ep, {
        action: 'lab.entered_in_error',
        entity: 'lab_result',
        markerId: id,
        withdrawn: original.id,
        before: { resultId: original.id, analyte: original.analyte },
        reason: input.reason,
      });
      return { id };
    }
    const { original, ep } = beginCorrection<StoredImaging>(ctx, 'imaging', input.id);
    const id = insertImaging(ctx, {
      episodeId: ep.id,
      performedAt: original.performed_at,
      modality: original.modality,
      pneumonia: original.pneumonia === 1,
      progressionPct: null,
      improved: null,
      finding: null,
      entryKind: 'entered_in_error',
      supersedesId: original.id,
      reason: input.reason,
    });
    auditWithdrawal(ctx, ep, {
      action: 'imaging.entered_in_error',
      entity: 'imaging',
      markerId: id,
      withdrawn: original.id,
      before: { imagingId: original.id },
      reason: input.reason,
    });
    return { id };
  },
};
