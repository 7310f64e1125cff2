import { Ctx } from '../context';
import type { SessionUser } from '../../../shared/api/auth';
import { assessTest, nucleicAcidCriterion } from '../../../shared/clinical';
import { addDays, fromLocal, localDate, startOfLocalDay } from '../../../shared/domain/time';
import { settingsOf } from '../settings/settings';
import { applyDischarge } from '../discharge/record';
import { criteriaMetAt, evaluateRelease, loadReleaseData, testsAt, type ReleaseData } from '../discharge/release';
import { Rng } from './random';

const HOUR = 3_600_000;
/** Discharge rounds of the demo hospital: late morning and mid-afternoon, local time. */
const DISCHARGE_HOURS = [10, 15] as const;
/** A result is on the ward a few hours after the sample (the rounds demo enters it 4 h later). */
const RESULT_TURNAROUND_MS = 4 * HOUR;
/** Terminal cleaning of a discharged patient's bed takes a few hours; older ones are free again. */
const CLEANING_MS = 6 * HOUR;

/**
 * A routine demo discharge by the app's own applyDischarge: home, cured, no override, no note. The
 * generator writes one audit row for the whole network and refreshes every episode's state at the end.
 */
export function dischargeHome(ctx: Ctx, a: { episodeId: number; dischargedAt: string; authorId: number; data?: ReleaseData }) {
  return applyDischarge(ctx, {
    ...a,
    disposition: 'home',
    condition: 'cured',
    conditionNote: null,
    followUpNote: null,
    overrideReason: null,
    summary: null,
    shown: null,
    audit: false,
    refresh: false,
  });
}

/**
 * Discharges every demo patient at the first discharge round (up to yesterday) at which the release check of
 * shared/clinical is met (with the results known by then): disposition home, no deaths. Runs after
 * the rounds (and reviews/transfers) demo wrote the results, so the reports show a discharge curve
 * behind the epidemic curve. Patients without qualifying results stay in hospital.
 */
export function generateDemoDischarges(ctx: Ctx, seed: Rng): { discharged: number } {
  const rng = new Rng(seed.int(1, 2 ** 31 - 2));
  const tz = settingsOf(ctx).timeZone;
  const doctors = ctx.stmt<[], SessionUser>(`SELECT id, username, display_name AS displayName, role FROM app_user WHERE role = 'ward_doctor' AND active = 1 ORDER BY id`).all();
  const author = doctors[0]?.id ?? ctx.stmt<[], { id: number }>(`SELECT id FROM app_user ORDER BY id LIMIT 1`).get()?.id;
  if (author === undefined) return { discharged: 0 };
  const today = localDate(ctx.now, tz);
  // Discharges up to yesterday's rounds: today's patients who meet the criteria wait on the ready list.
  const cutoffMs = Date.parse(startOfLocalDay(today, tz));
  const nowMs = Date.parse(ctx.now);
  const episodes = ctx
    .stmt<[], { id: number; start_at: string }>(
      `SELECT e.id, pl.start_at FROM episode e JOIN placement pl ON pl.episode_id = e.id AND pl.end_at IS NULL WHERE e.status = 'active' ORDER BY e.id`,
    )
    .all();
  const data = loadReleaseData(ctx, `SELECT id FROM episode WHERE status = 'active'`, []);
  const freeBed = ctx.stmt(`UPDATE bed SET state = 'free' WHERE id = ? AND state = 'cleaning'`);
  let discharged = 0;
  for (const ep of episodes) {
    const d = data.get(ep.id);
    if (!d || d.tests.length < 2) continue;
    const at = firstDischargeRound(d, ep.start_at, today, tz, cutoffMs, rng);
    if (!at) continue;
    const doctor = doctors[discharged % Math.max(1, doctors.length)] ?? doctors[0];
    // Each discharge is written as the doctor who signs it, at the time it happens (like the reviews demo).
    const as = doctor ? new Ctx(ctx.db, at, { user: doctor }) : ctx;
    const { bedId } = dischargeHome(as, { episodeId: ep.id, dischargedAt: at, authorId: doctor?.id ?? author, data: d });
    if (bedId !== null && Date.parse(at) + CLEANING_MS < nowMs) freeBed.run(bedId);
    discharged += 1;
  }
  return { discharged };
}

function firstDischargeRound(d: Parameters<typeof evaluateRelease>[0], startAt: string, today: string, tz: string, beforeMs: number, rng: Rng): string | null {
  const firstQualifying = d.tests.find((t) => assessTest(t).verdict === 'qualifies');
  if (!firstQualifying) return null;
  for (let date = localDate(firstQualifying.collectedAt, tz); date <= today; date = addDays(date, 1)) {
    for (const hour of DISCHARGE_HOURS) {
      const at = fromLocal(`${date}T${String(hour).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}`, tz);
      if (Date.parse(at) >= beforeMs) return null;
      if (at <= startAt) continue;
      // The nucleic-acid criterion is in every check and cheap: the full check only once it is met.
      if (nucleicAcidCriterion(testsAt(d, at), Date.parse(at)).status !== 'met') continue;
      const check = evaluateRelease(d, at);
      const met = criteriaMetAt(check);
      if (check.eligible && met && Date.parse(met) + RESULT_TURNAROUND_MS <= Date.parse(at)) return at;
    }
  }
  return null;
}
