import type { DomainHandlers } from '../context';
import type { ReadyList, ReadyPatient } from '../../../shared/api/discharge';
import { getRuleSet, type ClinicalClass } from '../../../shared/clinical';
import type { FacilityKind } from '../../../shared/domain/enums';
import { lengthOfStayDays } from '../../../shared/domain/time';
import { AppError } from '../../../shared/errors';
import { currentRow } from '../clinical/current';
import { currentAge, type PatientIdentity } from '../patients/repo';
import { settingsOf } from '../settings/settings';
import { amendDischarge, applyDischarge } from './record';
import { evaluateRelease, loadOne, loadReleaseData, symptomEvidence, temperatureDays, testRows } from './release';
import { currentDischarge, dischargeHistory, loadHeader } from './repo';

interface ActiveRow extends PatientIdentity {
  admitted_at: string;
  facility_id: number;
  ward_name: string;
  bed_label: string | null;
  current_class: ClinicalClass | null;
}

/** Active episodes (open placement) of one facility, or of the network when facilityId is null. */
const ACTIVE_EPISODES = `SELECT pl.episode_id FROM placement pl JOIN ward w ON w.id = pl.ward_id WHERE pl.end_at IS NULL AND (? IS NULL OR w.facility_id = ?)`;

export const dischargeHandlers: DomainHandlers<'discharge'> = {
  check(ctx, { episodeId, at: asked }) {
    const { header } = loadHeader(ctx, episodeId);
    const data = loadOne(ctx, episodeId);
    if (!data) throw new AppError('NOT_FOUND', `episode ${episodeId} has no placement`, { key: 'discharge.no_placement' });
    const current = currentDischarge(ctx, episodeId);
    // Once discharged, the check is the one that was shown and stored, evaluated at the discharge time.
    if (asked && asked > ctx.now) throw AppError.field('at', 'validation.future');
    const at = current ? current.dischargedAt : (asked ?? ctx.now);
    const check = current ? current.check : evaluateRelease(data, at);
    const tz = settingsOf(ctx).timeZone;
    const { improved: _improved, ...symptoms } = symptomEvidence(data, at);
    return {
      episode: header,
      timeZone: tz,
      at,
      check,
      evidence: {
        tests: testRows(data, at),
        temperatureDays: temperatureDays(data, at, tz, getRuleSet().defaultReleaseConfig.feverThresholdC),
        symptoms,
        imaging: data.imaging.filter((i) => i.performedAt <= at),
      },
      discharge: current,
      history: dischargeHistory(ctx, episodeId),
    };
  },

  readyList(ctx, { facilityId, scope }) {
    const fid = facilityId ?? null;
    const tz = settingsOf(ctx).timeZone;
    const facilities = ctx
      .stmt<[number | null, number | null], { id: number; name: string; kind: FacilityKind }>('SELECT id, name, kind FROM facility WHERE (? IS NULL OR id = ?) ORDER BY sort, id')
      .all(fid, fid);
    const active = ctx
      .stmt<[number | null, number | null], ActiveRow>(
        `SELECT e.id AS episode_id, p.id AS patient_id, p.name, p.sex, p.birth_date, p.age_years, e.admitted_at, w.facility_id, w.name AS ward_name, b.label AS bed_label,
                (SELECT c.class FROM class_assessment c WHERE c.episode_id = e.id AND ${currentRow('class_assessment', 'c')}
                 ORDER BY c.assessed_at DESC, c.id DESC LIMIT 1) AS current_class
         FROM placement pl JOIN ward w ON w.id = pl.ward_id JOIN episode e ON e.id = pl.episode_id JOIN patient p ON p.id = e.patient_id
         LEFT JOIN bed b ON b.id = pl.bed_id
         WHERE pl.end_at IS NULL AND e.status = 'active' AND (? IS NULL OR w.facility_id = ?)
         ORDER BY w.sort, w.id, b.sort, b.id`,
      )
      .all(fid, fid);
    const data = loadReleaseData(ctx, ACTIVE_EPISODES, [fid, fid]);
    const out: ReadyList = { at: ctx.now, timeZone: tz, facilities: facilities.map((f) => ({ facilityId: f.id, name: f.name, kind: f.kind, active: 0, ready: 0, patients: [] })) };
    const byFacility = new Map(out.facilities.map((f) => [f.facilityId, f]));
    for (const row of active) {
      const d = data.get(row.episode_id);
      const f = byFacility.get(row.facility_id);
      if (!d || !f) continue;
      const check = evaluateRelease(d, ctx.now);
      f.active += 1;
      if (check.eligible) f.ready += 1;
      if (scope === 'ready' && !check.eligible) continue;
      const last = d.tests[d.tests.length - 1];
      const patient: ReadyPatient = {
        episodeId: row.episode_id,
        patientId: row.patient_id,
        name: row.name,
        sex: row.sex,
        ageYears: currentAge(row, ctx.now, tz),
        wardName: row.ward_name,
        bedLabel: row.bed_label,
        admittedAt: row.admitted_at,
        lengthOfStayDays: lengthOfStayDays(row.admitted_at, ctx.now, tz),
        currentClass: row.current_class ?? 'unassessed',
        kind: check.kind,
        eligible: check.eligible,
        met: check.criteria.filter((c) => c.status === 'met').length,
        criteria: check.criteria.length,
        lastTestAt: last?.collectedAt ?? null,
        lastNCt: last?.nCt ?? null,
        lastOrf1abCt: last?.orf1abCt ?? null,
      };
      f.patients.push(patient);
    }
    // Ready first, then the most criteria met, then the longest stay.
    for (const f of out.facilities) f.patients.sort((a, b) => Number(b.eligible) - Number(a.eligible) || b.met - a.met || a.admittedAt.localeCompare(b.admittedAt));
    return out;
  },

  record(ctx, input) {
    const r = applyDischarge(ctx, { ...input, authorId: ctx.actor.id, audit: true });
    return { dischargeId: r.dischargeId, episodeId: input.episodeId, status: r.status, bedId: r.bedId };
  },

  amend(ctx, input) {
    return amendDischarge(ctx, input);
  },
};
