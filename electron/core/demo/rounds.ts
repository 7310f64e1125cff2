import type { Ctx } from '../context';
import {
  assessTest,
  effectiveRiskFactors,
  news2Band,
  scoreAirOrOxygen,
  scorePulse,
  scoreRespRate,
  scoreSpo2Scale1,
  scoreSystolicBp,
  scoreTemperature,
  proposeClass,
  proposeTier,
  type RiskFactor,
  type TierCode,
} from '../../../shared/clinical';
import { ageOn, fromLocal, localDate, addDays } from '../../../shared/domain/time';
import { ageInMonthsOn } from '../../../shared/domain/age';
import { settingsOf } from '../settings/settings';
import { criteriaMetAt, evaluateRelease, type ReleaseData } from '../discharge/release';
import { Rng } from './random';
import { isoOf as iso } from './instant';
import { chooseCourse, ctAt, labsAt, severeLabsAt, severity, vitalsAt, type DemoVitals } from './trajectory';
import { planFor } from './plans';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Results reach the ward this long after the sample (entered_at of a test); the discharge demo uses the same turnaround. */
const RESULT_TURNAROUND = 4 * HOUR;
/** Local hours of the discharge demo's discharge rounds (electron/core/demo/discharges.ts: 10:xx and 15:xx). */
const DISCHARGE_ROUND_HOURS = [10, 15] as const;

interface EpisodeRow {
  id: number;
  admitted_at: string;
  birth_date: string | null;
  age_years: number | null;
  risk_factors: string;
  facility_kind: 'designated' | 'fangcang' | 'isolation';
}

/**
 * NEWS2 of a complete demo observation (alert, SpO2 scale 1), from the chart-1 scoring functions of
 * shared/clinical; the combining machinery of computeNews2 is not needed for one complete set.
 */
export function news2Of(v: DemoVitals): { total: number; band: string } {
  const scores = [
    scoreRespRate(v.respRate),
    scoreSpo2Scale1(v.spo2),
    scoreAirOrOxygen(v.onOxygen),
    scoreSystolicBp(v.systolicBp),
    scorePulse(v.pulse),
    scoreTemperature(v.temperature),
  ];
  const total = scores.reduce((a, b) => a + b, 0);
  return { total, band: news2Band(total, scores.includes(3)) };
}

type Test = { at: number } & ReturnType<typeof ctAt>;
interface Image {
  at: number;
  pneumonia: boolean;
  progression: number | null;
  improved: boolean | null;
  finding: string;
}
interface RoundEvent extends DemoVitals {
  at: number;
  news2: number;
  band: string;
  s: number;
}

/**
 * Rounds, results, class assessments, tiers and plans for every patient of the demo network. Each
 * course is simulated in memory up to `now`; the charting then stops at the first moment the
 * release/discharge check of shared/clinical (as the discharge module evaluates it) is met with the
 * results known, because the patient leaves then: the discharge demo, which runs next, discharges at
 * the first discharge round after that moment, so no round is ever charted after a discharge. Rows
 * go in with prepared statements in the generator's transaction (one audit row for the whole
 * network); episode_state is refreshed by the generator afterwards.
 */
export function generateDemoClinical(ctx: Ctx, seed: Rng): void {
  const rng = new Rng(seed.int(1, 2 ** 31 - 2));
  const tz = settingsOf(ctx).timeZone;
  const nowMs = Date.parse(ctx.now);
  const userId = (username: string) => ctx.stmt<[string], { id: number }>('SELECT id FROM app_user WHERE username = ?').get(username)?.id;
  const nurses = ['nurse.zhang', 'nurse.chen'].map(userId).filter((x): x is number => x !== undefined);
  const doctors = ['dr.wang', 'dr.li'].map(userId).filter((x): x is number => x !== undefined);
  const expert = userId('prof.zhou') ?? null;
  if (nurses.length === 0 || doctors.length === 0) return;

  const insertRound = batchInsert(
    ctx,
    `INSERT INTO round (episode_id, measured_at, resp_rate, spo2, spo2_scale, on_oxygen, o2_device, o2_flow, systolic_bp, diastolic_bp, pulse,
       consciousness, temperature, symptoms, signs, news2_total, news2_complete, news2_band, entered_at, author_id) VALUES`,
    `(?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, 'A', ?, ?, ?, ?, 1, ?, ?, ?)`,
  );
  const insertLab = batchInsert(
    ctx,
    `INSERT INTO lab_result (episode_id, collected_at, analyte, value, n_ct, orf1ab_ct, qualitative, entered_at, author_id) VALUES`,
    `(?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertImaging = ctx.stmt(
    `INSERT INTO imaging (episode_id, performed_at, modality, pneumonia, progression_pct, improved, finding, entered_at, author_id) VALUES (?, ?, 'ct', ?, ?, ?, ?, ?, ?)`,
  );
  const insertClass = ctx.stmt(
    `INSERT INTO class_assessment (episode_id, assessed_at, class, proposed_class, rule_set, proposal, decision, entered_at, author_id)
     VALUES (?, ?, ?, ?, ?, ?, 'confirmed', ?, ?)`,
  );
  const insertTier = ctx.stmt(`INSERT INTO tier_assignment (episode_id, at, tier, proposed_tier, source, reason, entered_at, author_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertPlan = ctx.stmt(
    `INSERT INTO plan_version (episode_id, version, created_at, author_id, attending_id, nurse_id, expert_id, goals, items, monitoring, next_review_due, change_note)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  const episodes = ctx
    .stmt<[], EpisodeRow>(
      `SELECT e.id, e.admitted_at, p.birth_date, p.age_years, p.risk_factors, f.kind AS facility_kind
       FROM episode e JOIN patient p ON p.id = e.patient_id
       JOIN placement pl ON pl.episode_id = e.id AND pl.end_at IS NULL
       JOIN ward w ON w.id = pl.ward_id JOIN facility f ON f.id = w.facility_id
       WHERE e.status = 'active' ORDER BY e.id`,
    )
    .all();

  const entered = (ms: number) => iso(Math.min(nowMs, ms + rng.int(3, 15) * 60_000));
  // Local midnights of every day of the outbreak, computed once: time-zone conversions through Intl
  // would otherwise be the slowest step of the generator.
  const firstMs = episodes.reduce((m, e) => Math.min(m, Date.parse(e.admitted_at)), nowMs);
  const midnights: number[] = [];
  for (let d = addDays(localDate(firstMs, tz), -1); midnights.length === 0 || (midnights[midnights.length - 1] ?? 0) <= nowMs + DAY; d = addDays(d, 1)) {
    midnights.push(Date.parse(fromLocal(`${d}T00:00`, tz)));
  }
  const dayIndex = (ms: number) => {
    let i = midnights.length - 1;
    while (i > 0 && (midnights[i] ?? 0) > ms) i -= 1;
    return i;
  };
  /** A local morning (07:00–08:30) `plusDays` after the day of `afterMs`: when samples are drawn. */
  const morningAfter = (afterMs: number, plusDays: number) =>
    (midnights[Math.min(midnights.length - 1, dayIndex(afterMs) + plusDays)] ?? afterMs) + 7 * HOUR + rng.int(0, 90) * 60_000;

  for (const ep of episodes) {
    const admitted = Date.parse(ep.admitted_at);
    const ageYears = ep.birth_date ? ageOn(ep.birth_date, ctx.now, tz) : (ep.age_years ?? 40);
    const ageMonths = ep.birth_date ? ageInMonthsOn(ep.birth_date, ctx.now, tz) : null;
    const risk = effectiveRiskFactors(ageYears, JSON.parse(ep.risk_factors) as RiskFactor[]);
    const designated = ep.facility_kind === 'designated';
    const course = chooseCourse(rng, { designated, ageYears, riskFactors: risk.length, daysSinceAdmission: (nowMs - admitted) / DAY });
    const dayOf = (ms: number) => (ms - admitted) / DAY;
    const nurse = rng.pick(nurses);
    const doctor = rng.pick(doctors);

    // Nucleic-acid tests: on admission, then every other morning while Ct < 30, daily after.
    const tests: Test[] = [];
    for (let t = admitted + rng.int(30, 120) * 60_000; t <= nowMs;) {
      const ct = ctAt(rng, course, dayOf(t));
      tests.push({ at: t, ...ct });
      t = morningAfter(t, (ct.ctN ?? 40) < 30 && tests.length > 1 ? 2 : 1);
    }
    const firstQualifying = tests.find((x) => x.qualitative === 'negative' || ((x.ctN ?? 0) >= 35 && (x.ctOrf1ab ?? 0) >= 35));

    // Imaging (designated hospital): admission CT; CTs around a severe worsening; a follow-up CT once
    // the illness has settled and the tests approach release, showing the lesions improved.
    const images: Image[] = [];
    // Fangcang patients at risk (risk factors, or a worsening course) get a chest CT on the mobile CT
    // unit the day after admission: the expert panel needs it when it considers a transfer.
    if (!designated && (risk.length > 0 || course.kind === 'worsen_recover')) {
      images.push({ at: admitted + (20 + rng.int(0, 8)) * HOUR, pneumonia: false, progression: null, improved: null, finding: '方舱移动CT：双肺未见明显异常' });
    }
    if (designated) {
      images.push({
        at: admitted + rng.int(2, 6) * HOUR,
        pneumonia: course.pneumonia,
        progression: null,
        improved: null,
        finding: course.pneumonia ? '双肺散在磨玻璃影' : '双肺未见明显异常',
      });
      if (course.kind === 'severe') {
        const on = admitted + course.onset * DAY;
        images.push({ at: on + 10 * HOUR, pneumonia: true, progression: 25, improved: false, finding: '双肺多发磨玻璃影，较前增多' });
        images.push({ at: on + 34 * HOUR, pneumonia: true, progression: 60, improved: false, finding: '双肺病灶明显进展，部分实变' });
        images.push({ at: on + 9 * DAY, pneumonia: true, progression: -35, improved: true, finding: '双肺病灶较前吸收' });
      }
      if (course.pneumonia || course.kind === 'severe') {
        const settled = admitted + (course.kind === 'severe' ? course.onset + 12 : course.symptomDays + 1) * DAY;
        const followUp = Math.max(settled, firstQualifying?.at ?? settled) + rng.int(2, 6) * HOUR;
        if (followUp > (images[images.length - 1]?.at ?? 0) + DAY)
          images.push({ at: followUp, pneumonia: true, progression: -40, improved: true, finding: '双肺渗出性病变明显吸收' });
      }
    }

    // Rounds: every 12 h while NEWS2 is 0, every 4 h otherwise (RCP chart 4; the hourly observations of
    // the sickest are condensed to 4-hourly in the demo), a little early.
    // The stay ends when the patient can go home: the discharge demo discharges at the first discharge
    // round (10:00–11:00 or 15:00–16:00 local) at which the release/discharge check of shared/clinical
    // is met with the results known. Before each such round the check is evaluated (at the round's end,
    // with what was charted before it); when it is met, charting stops at the round's start, so no
    // observation is ever charted after the discharge.
    const data: ReleaseData = {
      episodeId: ep.id,
      facilityKind: ep.facility_kind,
      tests: tests.map((x, i) => ({ id: i + 1, collectedAt: iso(x.at), nCt: x.ctN, orf1abCt: x.ctOrf1ab, eCt: null, qualitative: x.qualitative })),
      temperatures: [],
      symptomRounds: [],
      imaging: images.map((x) => ({ performedAt: iso(x.at), modality: 'ct', pneumonia: x.pneumonia, progressionPct: x.progression, improved: x.improved, finding: x.finding })),
    };
    const qualifies = tests.map((x) => assessTest({ collectedAt: '', nCt: x.ctN, orf1abCt: x.ctOrf1ab, qualitative: x.qualitative }).verdict === 'qualifies');
    /** Cheap necessary condition: the two latest tests by t qualify and the latest result is known (the full check runs only then). */
    const pairKnown = (t: number) => {
      let i = tests.length - 1;
      while (i >= 0 && (tests[i]?.at ?? 0) > t) i -= 1;
      return i >= 1 && !!qualifies[i - 1] && !!qualifies[i] && (tests[i]?.at ?? t) + RESULT_TURNAROUND <= t;
    };
    const releasedBy = (t: number) => {
      if (!pairKnown(t)) return false;
      const check = evaluateRelease(data, iso(t));
      const met = criteriaMetAt(check);
      return check.eligible && met !== null && Date.parse(met) + RESULT_TURNAROUND <= t;
    };
    const windows = firstQualifying ? midnights.flatMap((m) => DISCHARGE_ROUND_HOURS.map((h) => m + h * HOUR)).filter((t) => t >= firstQualifying.at && t <= nowMs) : [];
    let next = 0;
    let endMs = nowMs;
    const rounds: RoundEvent[] = [];
    let previousS = 0;
    const passWindowsBefore = (limit: number) => {
      for (; next < windows.length && (windows[next] ?? 0) < limit && endMs === nowMs; next += 1) {
        const start = windows[next] ?? 0;
        if (releasedBy(Math.min(nowMs, start + HOUR - 60_000))) endMs = start - 1;
      }
    };
    for (let r = admitted + rng.int(20, 60) * 60_000; r <= nowMs;) {
      passWindowsBefore(r);
      if (r > endMs) break;
      const s = severity(course, dayOf(r));
      const v = vitalsAt(rng, course, dayOf(r), s > previousS + 0.05);
      previousS = s;
      const at = iso(r);
      const n = news2Of(v);
      rounds.push({ ...v, at: r, news2: n.total, band: n.band, s });
      data.temperatures.push({ at, value: v.temperature });
      data.symptomRounds.push({ at, symptoms: v.symptoms });
      r += (n.total === 0 ? 12 * HOUR : 4 * HOUR) - rng.int(0, 40) * 60_000;
    }
    passWindowsBefore(nowMs);

    // A few patients still in hospital have missed their latest observation (the board shows them overdue).
    const missed = endMs === nowMs && rng.chance(0.04) && rounds.length > 2;
    const charted = missed ? rounds.slice(0, -1) : rounds;

    for (const x of tests)
      if (x.at <= endMs) insertLab.add([ep.id, iso(x.at), 'nucleic_acid', null, x.ctN, x.ctOrf1ab, x.qualitative, iso(Math.min(nowMs, x.at + RESULT_TURNAROUND)), nurse]);
    for (const im of images) {
      if (im.at <= endMs)
        insertImaging.run(ep.id, iso(im.at), im.pneumonia ? 1 : 0, im.progression, im.improved === null ? null : im.improved ? 1 : 0, im.finding, entered(im.at + HOUR), doctor);
    }
    charted.forEach((x, i) => {
      insertRound.add([
        ep.id,
        iso(x.at),
        x.respRate,
        x.spo2,
        x.onOxygen ? 1 : 0,
        x.o2Device,
        x.o2Flow,
        x.systolicBp,
        x.diastolicBp,
        x.pulse,
        x.temperature,
        JSON.stringify(x.symptoms),
        JSON.stringify(x.signs),
        x.news2,
        x.band,
        entered(x.at),
        i === 0 ? doctor : nurse,
      ]);
    });

    // Laboratory panels (designated hospital): on admission, then every 2–3 days, daily while unwell.
    const pf: { at: number; value: number }[] = [];
    if (designated) {
      for (let l = admitted + rng.int(60, 180) * 60_000; l <= endMs;) {
        const v = labsAt(rng, course, dayOf(l));
        const at = iso(l);
        const when = entered(l + 3 * HOUR);
        for (const [analyte, value] of [
          ['lymphocytes', v.lymphocytes],
          ['crp', v.crp],
          ['il6', v.il6],
          ['ferritin', v.ferritin],
          ['ddimer', v.ddimer],
        ] as const) {
          insertLab.add([ep.id, at, analyte, value, null, null, null, when, nurse]);
        }
        const s = severity(course, dayOf(l));
        if (course.kind === 'severe' && s > 0.2) {
          const sv = severeLabsAt(rng, course, dayOf(l));
          insertLab.add([ep.id, at, 'lactate', sv.lactate, null, null, null, when, nurse]);
          insertLab.add([ep.id, at, 'pao2_fio2', sv.pao2Fio2, null, null, null, when, nurse]);
          pf.push({ at: l, value: sv.pao2Fio2 });
        }
        l = morningAfter(l, s > 0.2 ? 1 : rng.int(2, 3));
      }
    }

    // Class decisions: on admission (after the admission CT was read), when a severe course meets the
    // severe criteria, and when it has recovered to moderate. Rules propose; the doctor confirms.
    const decisions: { at: number; why: 'admission' | 'severe' | 'recovered' }[] = [];
    const first = charted[0];
    if (first) decisions.push({ at: Math.max(first.at, images[0]?.at ?? 0) + rng.int(30, 90) * 60_000, why: 'admission' });
    const turned = course.kind === 'severe' ? charted.find((x) => x.s >= 0.9) : undefined;
    if (turned) {
      decisions.push({ at: turned.at + rng.int(20, 60) * 60_000, why: 'severe' });
      const recovered = charted.find((x) => dayOf(x.at) > course.onset + 11);
      if (recovered) decisions.push({ at: recovered.at + rng.int(20, 60) * 60_000, why: 'recovered' });
    }
    let tier: TierCode | null = null;
    let version = 0;
    for (const c of decisions) {
      const round = charted.filter((x) => x.at <= c.at).pop();
      if (!round || c.at > endMs) continue;
      const image = images.filter((x) => x.at <= c.at).pop();
      const proposal = proposeClass({
        ageYears,
        ageMonths,
        positive: true,
        symptoms: round.symptoms,
        pneumoniaOnImaging: image ? image.pneumonia : null,
        respRate: round.respRate,
        spo2: round.spo2,
        onOxygen: round.onOxygen,
        pao2Fio2: pf.filter((x) => x.at <= c.at).pop()?.value ?? null,
      });
      insertClass.run(ep.id, iso(c.at), proposal.proposed, proposal.proposed, proposal.ruleSet, JSON.stringify(proposal), iso(c.at), doctor);
      const rule = proposeTier({ clinicalClass: proposal.proposed, hasRiskFactors: risk.length > 0, facilityKind: ep.facility_kind });
      // The tier follows where the patient is treated: a fangcang patient the rule would send to the
      // designated hospital stays in T2 until the panel decides (it is in their queue); a patient of the
      // designated hospital is at least T3.
      const placed: TierCode = designated ? (rule.tier === 'T1' || rule.tier === 'T2' ? 'T3' : rule.tier) : rule.tier === 'T1' ? 'T1' : 'T2';
      if (placed !== tier) {
        const reason = c.why === 'admission' ? '入院评估：按临床分型及重症高危因素分级' : c.why === 'severe' ? '病情进展为重型，升级救治梯队' : '病情好转，降级至普通病区';
        insertTier.run(ep.id, iso(c.at), placed, rule.tier, c.why === 'admission' ? 'admission' : 'manual', reason, iso(c.at), doctor);
        tier = placed;
      }
      if (designated || risk.length > 0 || c.why !== 'admission') {
        version += 1;
        const plan = planFor(course, c.why, risk, localDate(c.at, tz));
        const nextReview = course.kind === 'severe' && c.why !== 'recovered' ? iso(c.at + DAY) : null;
        const team = risk.length > 0 || course.kind === 'severe' ? expert : null;
        insertPlan.run(ep.id, version, iso(c.at), doctor, doctor, nurse, team, plan.goals, JSON.stringify(plan.items), plan.monitoring, nextReview, plan.note);
      }
    }
  }
  insertRound.flush();
  insertLab.flush();
}

/**
 * Multi-row INSERT in chunks of 64 rows: for small rows better-sqlite3's per-call overhead dominates
 * single-row inserts, and the generator writes tens of thousands of them.
 */
function batchInsert(ctx: Ctx, head: string, row: string) {
  const CHUNK = 64;
  const pending: unknown[] = [];
  let count = 0;
  const full = ctx.stmt(`${head} ${Array.from({ length: CHUNK }, () => row).join(', ')}`);
  const one = ctx.stmt(`${head} ${row}`);
  const width = (row.match(/\?/g) ?? []).length;
  return {
    add(values: unknown[]) {
      pending.push(...values);
      count += 1;
      if (count === CHUNK) {
        full.run(pending);
        pending.length = 0;
        count = 0;
      }
    },
    flush() {
      for (let i = 0; i < count; i += 1) one.run(pending.slice(i * width, (i + 1) * width));
      pending.length = 0;
      count = 0;
    },
  };
}
