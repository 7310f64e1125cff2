import { AppError } from '../../../shared/errors';
import type { AntiviralView, DecisionRecord, MedicationItem, MedicationList, ProfileVersion } from '../../../shared/api/antiviral';
import type { PlanVersion } from '../../../shared/api/plans';
import { INTERACTION_TABLE_VERSION, MEDICINES, checkInteractions, type AntiviralOption, type InteractionCheck } from '../../../shared/clinical';
import { egfrOf, medicationsOf, type EpisodeData } from '../../../shared/clinical/evaluate';
import { addDays, localDate } from '../../../shared/domain/time';
import type { Ctx, DomainHandlers } from '../context';
import { evaluateLive, loadLive } from '../clinical/state';
import { episodeForWrite } from '../records/signed';
import { changeParams } from '../records/versions';
import { settingsOf } from '../settings/settings';
import { planVersions } from '../plans/handlers';

/**
 * Antiviral treatment support (issue 19). The rules (shared/clinical/antiviral.ts) and the interaction
 * table (shared/clinical/interactions.ts) propose; the doctor decides, and the decision is stored with
 * the proposal, its rule version, the interaction check and its table version, like a class decision.
 */

const KNOWN_CODES = new Set(MEDICINES.map((m) => m.code));

/** Days of each option's course as the plan records it: nirmatrelvir/ritonavir 5 days, the antibody pair one infusion. */
const COURSE_DAYS: Record<AntiviralOption, number> = { nirmatrelvir_ritonavir: 5, amubarvimab_romlusevimab: 1 };

/** The plan item's text for a course (the plan shows it as written; both languages, as the ward reads either). */
const COURSE_TEXT: Record<string, string> = {
  nmv_r_standard: '奈玛特韦/利托那韦 Nirmatrelvir/ritonavir 300 mg + 100 mg q12h × 5 d',
  nmv_r_renal: '奈玛特韦/利托那韦 Nirmatrelvir/ritonavir 150 mg + 100 mg q12h × 5 d（肾功能中度损伤减量 renal dose）',
  amubarvimab_romlusevimab_single: '安巴韦单抗/罗米司韦单抗 Amubarvimab/romlusevimab 1000 mg + 1000 mg IV，单次 single dose',
};
const OPTION_TEXT: Record<AntiviralOption, string> = {
  nirmatrelvir_ritonavir: '奈玛特韦/利托那韦 Nirmatrelvir/ritonavir',
  amubarvimab_romlusevimab: '安巴韦单抗/罗米司韦单抗 Amubarvimab/romlusevimab',
};

interface EpisodeRow {
  id: number;
  patient_id: number;
  admitted_at: string;
  chronic_medications: string | null;
}

function episodeRow(ctx: Ctx, episodeId: number): EpisodeRow {
  const ep = ctx
    .stmt<[number], EpisodeRow>('SELECT e.id, e.patient_id, e.admitted_at, p.chronic_medications FROM episode e JOIN patient p ON p.id = e.patient_id WHERE e.id = ?')
    .get(episodeId);
  if (!ep) throw new AppError('NOT_FOUND', `episode ${episodeId} not found`, { key: 'records.episode_not_found' });
  return ep;
}

/** The check on the medicines the episode's data holds: the list as last saved, else the admission's free text, split and matched (clinical/load.ts). */
function interactionsOf(data: EpisodeData): InteractionCheck {
  return checkInteractions(data.antiviral ? medicationsOf(data.antiviral) : []);
}

function medicationLists(ctx: Ctx, patientId: number): MedicationList[] {
  return ctx
    .stmt<[number], { version: number; created_at: string; author_name: string; change_note: string | null; items: string }>(
      `SELECT m.version, m.created_at, u.display_name AS author_name, m.change_note, m.items
       FROM medication_list m JOIN app_user u ON u.id = m.author_id WHERE m.patient_id = ? ORDER BY m.version DESC`,
    )
    .all(patientId)
    .map((r) => ({ version: r.version, createdAt: r.created_at, authorName: r.author_name, changeNote: r.change_note, items: JSON.parse(r.items) as MedicationList['items'] }));
}

function profiles(ctx: Ctx, episodeId: number): ProfileVersion[] {
  return ctx
    .stmt<
      [number],
      {
        version: number;
        created_at: string;
        author_name: string;
        change_note: string | null;
        onset_date: string | null;
        weight_kg: number | null;
        pregnancy: ProfileVersion['pregnancy'];
        severe_liver_impairment: 0 | 1 | null;
        creatinine_umol_l: number | null;
        creatinine_at: string | null;
        egfr_manual: number | null;
      }
    >(
      `SELECT v.version, v.created_at, u.display_name AS author_name, v.change_note, v.onset_date, v.weight_kg, v.pregnancy,
              v.severe_liver_impairment, v.creatinine_umol_l, v.creatinine_at, v.egfr_manual
       FROM antiviral_profile v JOIN app_user u ON u.id = v.author_id WHERE v.episode_id = ? ORDER BY v.version DESC`,
    )
    .all(episodeId)
    .map((r) => ({
      version: r.version,
      createdAt: r.created_at,
      authorName: r.author_name,
      changeNote: r.change_note,
      onsetDate: r.onset_date,
      weightKg: r.weight_kg,
      pregnancy: r.pregnancy,
      severeLiverImpairment: r.severe_liver_impairment === null ? null : r.severe_liver_impairment === 1,
      creatinine: r.creatinine_umol_l !== null && r.creatinine_at !== null ? { valueUmolL: r.creatinine_umol_l, collectedAt: r.creatinine_at } : null,
      egfrManual: r.egfr_manual,
    }));
}

/** Every antiviral decision of an episode, newest first. */
export function antiviralDecisions(ctx: Ctx, episodeId: number): DecisionRecord[] {
  return ctx
    .stmt<
      [number],
      {
        id: number;
        created_at: string;
        author_name: string;
        option: DecisionRecord['option'];
        decision: DecisionRecord['decision'];
        status: DecisionRecord['status'];
        rule_version: string;
        start_date: string | null;
        dose_code: string | null;
        reason: string | null;
        clash_reason: string | null;
        table_version: string;
        clashes: string;
        plan_version: number | null;
      }
    >(
      `SELECT d.id, d.created_at, u.display_name AS author_name, d.option, d.decision, d.status, d.rule_version, d.start_date, d.dose_code,
              d.reason, d.clash_reason, d.table_version, d.clashes, pv.version AS plan_version
       FROM antiviral_decision d JOIN app_user u ON u.id = d.author_id LEFT JOIN plan_version pv ON pv.id = d.plan_version_id
       WHERE d.episode_id = ? ORDER BY d.created_at DESC, d.id DESC`,
    )
    .all(episodeId)
    .map((r) => ({
      id: r.id,
      createdAt: r.created_at,
      authorName: r.author_name,
      option: r.option,
      decision: r.decision,
      status: r.status,
      ruleVersion: r.rule_version,
      startDate: r.start_date,
      doseCode: r.dose_code,
      reason: r.reason,
      clashReason: r.clash_reason,
      tableVersion: r.table_version,
      clashes: JSON.parse(r.clashes) as DecisionRecord['clashes'],
      planVersion: r.plan_version,
    }));
}

/** The patient's latest medicine list (the discharge summary prints it). */
export function latestMedicationList(ctx: Ctx, patientId: number): MedicationList | null {
  return medicationLists(ctx, patientId)[0] ?? null;
}

function latestPlan(ctx: Ctx, episodeId: number): PlanVersion | null {
  return planVersions(ctx, episodeId)[0] ?? null;
}

/** Who saved the newest version of a versioned antiviral table, for a conflict's message. */
function head(ctx: Ctx, table: 'medication_list' | 'antiviral_profile', column: 'patient_id' | 'episode_id', id: number) {
  return ctx
    .stmt<[number], { version: number; by: string; at: string }>(
      `SELECT v.version, u.display_name AS by, v.created_at AS at FROM ${table} v JOIN app_user u ON u.id = v.author_id
       WHERE v.${column} = ? ORDER BY v.version DESC LIMIT 1`,
    )
    .get(id);
}

/** A versioned save: the base must be the newest version, and a change to a signed version says why. */
function nextVersion(ctx: Ctx, latest: { version: number; by: string; at: string } | undefined, baseVersion: number, changeNote: string | null, conflictKey: string): number {
  const version = latest?.version ?? 0;
  if (version !== baseVersion) {
    throw new AppError('CONFLICT', 'changed meanwhile', { key: conflictKey, params: { version, ...(latest ? changeParams(ctx, latest) : { by: '—', when: '—' }) } });
  }
  if (version > 0 && changeNote === null) throw AppError.field('changeNote', 'antiviral.change_note_required');
  return version + 1;
}

/** The whole antiviral view of one episode at now. */
export function antiviralView(ctx: Ctx, episodeId: number): AntiviralView {
  const ep = episodeRow(ctx, episodeId);
  const data = loadLive(ctx, ep.id);
  const snapshot = evaluateLive(ctx, data);
  const av = data.antiviral;
  const lists = medicationLists(ctx, ep.patient_id);
  const profileHistory = profiles(ctx, ep.id);
  const plan = latestPlan(ctx, ep.id);
  const course = plan?.items.find((i) => i.kind === 'antiviral') ?? null;
  if (!snapshot.antiviral || !av) throw new AppError('INTERNAL', 'the antiviral data was not loaded');
  return {
    episodeId: ep.id,
    medications: lists[0] ?? null,
    legacyMedications: ep.chronic_medications,
    medicationHistory: lists,
    profile: profileHistory[0] ?? null,
    profileHistory,
    egfr: egfrOf(av.profile, av.sex, snapshot.ageYears),
    proposal: snapshot.antiviral,
    interactions: interactionsOf(data),
    course: course ? { detail: course.detail, startDate: course.startDate, courseDays: course.courseDays } : null,
    planVersion: plan?.version ?? 0,
    decisions: antiviralDecisions(ctx, ep.id),
  };
}

function checkItems(items: readonly MedicationItem[]): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (item.code === null) return;
    if (!KNOWN_CODES.has(item.code)) throw AppError.field(`items.${i}.code`, 'antiviral.unknown_medicine');
    if (seen.has(item.code)) throw AppError.field(`items.${i}.code`, 'validation.duplicate_item');
    seen.add(item.code);
  });
}

export const antiviralHandlers: DomainHandlers<'antiviral'> = {
  get(ctx, input) {
    return antiviralView(ctx, input.episodeId);
  },

  /** The patient's chronic medicines: each save is a new version of the whole list. */
  saveMedications(ctx, input) {
    const ep = episodeForWrite(ctx, input.episodeId);
    checkItems(input.items);
    const latest = head(ctx, 'medication_list', 'patient_id', ep.patient_id);
    const version = nextVersion(ctx, latest, input.baseVersion, input.changeNote, 'antiviral.medications_conflict');
    const items = input.items.map((i) => ({ code: i.code, text: i.text, dose: i.dose }));
    const id = Number(
      ctx
        .stmt('INSERT INTO medication_list (patient_id, version, items, change_note, created_at, author_id) VALUES (?, ?, ?, ?, ?, ?)')
        .run(ep.patient_id, version, JSON.stringify(items), input.changeNote, ctx.now, ctx.actor.id).lastInsertRowid,
    );
    const previous = version > 1 ? medicationLists(ctx, ep.patient_id).find((l) => l.version === version - 1) : undefined;
    ctx.audit({
      action: 'antiviral.medications',
      entity: 'medication_list',
      entityId: id,
      patientId: ep.patient_id,
      before: previous ? { version: previous.version, items: previous.items } : null,
      after: { version, items },
      reason: input.changeNote,
    });
    ctx.touchEpisode(ep.id);
    return { version };
  },

  /** Onset, weight, pregnancy, kidney and liver function: each save is a new version for the episode. */
  saveProfile(ctx, input) {
    const ep = episodeForWrite(ctx, input.episodeId);
    const tz = settingsOf(ctx).timeZone;
    if (input.onsetDate !== null && input.onsetDate > localDate(ctx.now, tz)) throw AppError.field('onsetDate', 'validation.future');
    if (input.creatinine !== null && input.creatinine.collectedAt > ctx.now) throw AppError.field('creatinine.collectedAt', 'validation.future');
    const latest = head(ctx, 'antiviral_profile', 'episode_id', ep.id);
    const version = nextVersion(ctx, latest, input.baseVersion, input.changeNote, 'antiviral.profile_conflict');
    const row = {
      onsetDate: input.onsetDate,
      weightKg: input.weightKg,
      pregnancy: input.pregnancy,
      severeLiverImpairment: input.severeLiverImpairment,
      creatinineUmolL: input.creatinine?.valueUmolL ?? null,
      creatinineAt: input.creatinine?.collectedAt ?? null,
      egfrManual: input.egfrManual,
    };
    const id = Number(
      ctx
        .stmt(
          `INSERT INTO antiviral_profile (episode_id, version, onset_date, weight_kg, pregnancy, severe_liver_impairment, creatinine_umol_l, creatinine_at, egfr_manual,
             change_note, created_at, author_id)
           VALUES (@episodeId, @version, @onsetDate, @weightKg, @pregnancy, @liver, @creatinineUmolL, @creatinineAt, @egfrManual, @changeNote, @now, @authorId)`,
        )
        .run({
          ...row,
          liver: row.severeLiverImpairment === null ? null : row.severeLiverImpairment ? 1 : 0,
          episodeId: ep.id,
          version,
          changeNote: input.changeNote,
          now: ctx.now,
          authorId: ctx.actor.id,
        }).lastInsertRowid,
    );
    const previous = version > 1 ? profiles(ctx, ep.id).find((p) => p.version === version - 1) : undefined;
    ctx.audit({
      action: 'antiviral.profile',
      entity: 'antiviral_profile',
      entityId: id,
      patientId: ep.patient_id,
      before: previous ?? null,
      after: { version, ...row },
      reason: input.changeNote,
    });
    ctx.touchEpisode(ep.id);
    return { version };
  },

  /**
   * The doctor's decision on one option. The proposal and the interaction check are recomputed here
   * and stored with the decision; a proposal or table other than the one the doctor was shown is
   * refused rather than silently attached. A reason is required against the proposal, and a second one
   * to start ritonavir-boosted nirmatrelvir despite a contraindicated clash. A start writes the course
   * into the next plan version (一人一策).
   */
  decide(ctx, input) {
    const ep = episodeForWrite(ctx, input.episodeId);
    const row = episodeRow(ctx, ep.id);
    const data = loadLive(ctx, ep.id);
    const proposal = evaluateLive(ctx, data).antiviral;
    const option = proposal?.options.find((o) => o.option === input.option);
    if (!proposal || !option) throw new AppError('INTERNAL', 'no antiviral proposal');
    if (option.status !== input.shownStatus) {
      throw new AppError('CONFLICT', 'the antiviral proposal changed', { key: 'antiviral.proposal_changed', params: { status: option.status } });
    }
    if (input.tableVersion !== INTERACTION_TABLE_VERSION) {
      throw new AppError('CONFLICT', 'the interaction table changed', { key: 'antiviral.table_changed', params: { version: INTERACTION_TABLE_VERSION } });
    }
    const start = input.decision === 'start';
    const against = start ? option.status !== 'eligible' : option.status === 'eligible';
    if (against && input.reason === null) throw AppError.field('reason', 'antiviral.reason_required');
    const check = interactionsOf(data);
    const contraindicated = input.option === 'nirmatrelvir_ritonavir' ? check.clashes.filter((c) => c.severity === 'contraindicated') : [];
    if (start && contraindicated.length > 0 && input.clashReason === null) {
      throw AppError.field('clashReason', 'antiviral.clash_reason_required', { medicines: contraindicated.map((c) => c.entered).join('、') });
    }
    const tz = settingsOf(ctx).timeZone;
    if (start && input.startDate !== null) {
      const today = localDate(ctx.now, tz);
      if (input.startDate < localDate(row.admitted_at, tz) || input.startDate > addDays(today, 7)) {
        throw AppError.field('startDate', 'antiviral.start_date_range', { from: localDate(row.admitted_at, tz), to: addDays(today, 7) });
      }
    }

    const plan = latestPlan(ctx, ep.id);
    const latest = plan?.version ?? 0;
    if (latest !== input.basePlanVersion) {
      const by = plan ? changeParams(ctx, { by: plan.authorName, at: plan.createdAt }) : {};
      throw new AppError('CONFLICT', 'the plan was changed meanwhile', {
        key: plan ? 'plans.version_conflict' : 'plans.version_conflict_none',
        params: { version: latest, ...by },
      });
    }
    const doseCode = start ? (option.dose?.code ?? null) : null;
    let planId: number | null = null;
    let planVersion: number | null = null;
    if (start) {
      planVersion = latest + 1;
      const items = [
        ...(plan?.items ?? []).filter((i) => i.kind !== 'antiviral'),
        {
          kind: 'antiviral' as const,
          detail: doseCode ? (COURSE_TEXT[doseCode] ?? OPTION_TEXT[input.option]) : OPTION_TEXT[input.option],
          startDate: input.startDate,
          courseDays: COURSE_DAYS[input.option],
        },
      ];
      const changeNote = input.reason ?? OPTION_TEXT[input.option];
      planId = Number(
        ctx
          .stmt(
            `INSERT INTO plan_version (episode_id, version, created_at, author_id, attending_id, nurse_id, expert_id, goals, items, monitoring, next_review_due, change_note)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            ep.id,
            planVersion,
            ctx.now,
            ctx.actor.id,
            plan?.attending?.id ?? null,
            plan?.nurse?.id ?? null,
            plan?.expert?.id ?? null,
            plan?.goals ?? null,
            JSON.stringify(items),
            plan?.monitoring ?? null,
            plan?.nextReviewDue ?? null,
            changeNote,
          ).lastInsertRowid,
      );
      ctx.audit({
        action: 'plan.save',
        entity: 'plan_version',
        entityId: planId,
        patientId: ep.patient_id,
        before: plan ? { version: plan.version, items: plan.items } : null,
        after: { version: planVersion, items },
        reason: changeNote,
      });
    }
    const handled = input.option === 'nirmatrelvir_ritonavir' ? check.clashes : [];
    const decisionId = Number(
      ctx
        .stmt(
          `INSERT INTO antiviral_decision (episode_id, option, decision, status, rule_version, proposal, start_date, dose_code, reason, clash_reason, table_version, clashes,
             plan_version_id, created_at, author_id)
           VALUES (@episodeId, @option, @decision, @status, @ruleVersion, @proposal, @startDate, @doseCode, @reason, @clashReason, @tableVersion, @clashes, @planId, @now, @authorId)`,
        )
        .run({
          episodeId: ep.id,
          option: input.option,
          decision: input.decision,
          status: option.status,
          ruleVersion: proposal.ruleVersion,
          proposal: JSON.stringify(option),
          startDate: start ? input.startDate : null,
          doseCode,
          reason: input.reason,
          clashReason: start ? input.clashReason : null,
          tableVersion: check.tableVersion,
          clashes: JSON.stringify(handled),
          planId,
          now: ctx.now,
          authorId: ctx.actor.id,
        }).lastInsertRowid,
    );
    ctx.audit({
      action: 'antiviral.decide',
      entity: 'antiviral_decision',
      entityId: decisionId,
      patientId: ep.patient_id,
      before: null,
      after: {
        option: input.option,
        decision: input.decision,
        status: option.status,
        ruleVersion: proposal.ruleVersion,
        startDate: start ? input.startDate : null,
        doseCode,
        tableVersion: check.tableVersion,
        clashes: handled.map((c) => `${c.medicine}:${c.severity}`).join(','),
        planVersion,
        clashReason: start ? input.clashReason : null,
      },
      reason: input.reason,
    });
    ctx.touchEpisode(ep.id);
    return { decisionId, planVersion };
  },
};
