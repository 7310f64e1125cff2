import type { SessionUser } from '../../../shared/api/auth';
import { compareClass, effectiveRiskFactors, type FlagCode, type RiskFactor } from '../../../shared/clinical';
import type { ReviewDecision, TierCode } from '../../../shared/domain/clinical';
import { addDays, ageOn, fromLocal, localDate } from '../../../shared/domain/time';
import { Ctx } from '../context';
import { computeSnapshot } from '../clinical/state';
import { settingsOf } from '../settings/settings';
import { bedById, changeBedState, openPlacement } from '../beds/moves';
import { signReview, tierBefore, type ReviewFields } from '../reviews/record';
import { assignBed, completeTransfer, requestTransfer } from '../transfers/service';
import { queueHandlers } from '../queue/handlers';
import { Rng } from './random';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** The panel meets every morning; each patient takes a few minutes. */
const MEETING_HOUR = 9;
const MINUTES_PER_PATIENT = 4;
/** "A few to ICU and back" (issue 5). */
const MAX_ICU = 3;
/** High-risk fangcang patients the panel sees for the first time per meeting, besides the worsening ones. */
const NEW_HIGH_RISK_PER_DAY = 4;
/** Flags that mean a change, as opposed to a standing risk or the queue's own bookkeeping. */
const STANDING: ReadonlySet<FlagCode> = new Set(['risk_factors', 'review_overdue', 'doctor_referral']);

const REFERRAL_NOTES = [
  '患者诉胸闷，夜间血氧波动，请专家组评估',
  '高龄独居，焦虑明显，请专家组评估是否需转定点医院',
  '基础病用药中断两天，请专家组会诊',
  '发热持续，请专家组评估治疗方案',
];

interface Episode {
  id: number;
  admitted_at: string;
  risk: boolean;
}

/**
 * The expert panel's history in the demo outbreak (issue 5 item 6): a meeting every morning reviews
 * the patients whose flags fired since the day before (worsening vitals, referrals, reviews falling
 * due, and a few high-risk fangcang patients seen for the first time); fangcang patients who worsen,
 * and mild high-risk ones, are transferred to the designated hospital; a few severe patients go to ICU
 * and come back to the severe ward when better. Every action goes through the same functions as the
 * app, as the user who would take it, at the time it would happen.
 *
 * Runs after the rounds demo and before the discharge demo. It acts only on a patient whose charting
 * continues after the action (the rounds demo stops at the end of the stay), so every review and
 * move precedes the discharge; the discharge demo discharges after the latest placement began.
 * Today's meeting is left to the user: today's queue is full.
 */
export function generateDemoReviews(ctx: Ctx, seed: Rng): { reviews: number; transfers: number } {
  const rng = new Rng(seed.int(1, 2 ** 31 - 2));
  const tz = settingsOf(ctx).timeZone;
  const nowMs = Date.parse(ctx.now);
  const user = (username: string) => ctx.stmt<[string], SessionUser>(`SELECT id, username, display_name AS displayName, role FROM app_user WHERE username = ?`).get(username);
  const expert = user('prof.zhou');
  const doctors = [user('dr.wang'), user('dr.li')].filter((u): u is SessionUser => u !== undefined);
  const nurse = user('nurse.zhang');
  const dh = ctx.stmt<[], { id: number }>(`SELECT id FROM facility WHERE kind = 'designated' ORDER BY sort, id LIMIT 1`).get();
  if (!expert || doctors.length === 0 || !nurse || !dh) return { reviews: 0, transfers: 0 };
  const [referrer, receiver] = [doctors[0]!, doctors[doctors.length - 1]!];
  const as = (who: SessionUser, ms: number) => new Ctx(ctx.db, new Date(ms).toISOString(), { user: who });

  const episodes = ctx
    .stmt<[], Episode & { birth_date: string | null; risk_factors: string }>(
      `SELECT e.id, e.admitted_at, p.birth_date, p.risk_factors FROM episode e JOIN patient p ON p.id = e.patient_id WHERE e.status = 'active' ORDER BY e.id`,
    )
    .all()
    .map((e) => ({
      id: e.id,
      admitted_at: e.admitted_at,
      risk: effectiveRiskFactors(e.birth_date ? ageOn(e.birth_date, ctx.now, tz) : null, JSON.parse(e.risk_factors) as RiskFactor[]).length > 0,
    }));
  const byId = new Map(episodes.map((e) => [e.id, e]));
  const lastRound = new Map(
    ctx
      .stmt<[], { episode_id: number; at: string }>('SELECT episode_id, max(measured_at) AS at FROM round GROUP BY episode_id')
      .all()
      .map((r) => [r.episode_id, Date.parse(r.at)]),
  );
  // Rounds that raise the NEWS2 flag (RCP 2017: total ≥ 5 is the threshold for urgent review) bring a patient to the next meeting.
  const worrying = ctx.stmt<[], { episode_id: number; at: string }>('SELECT episode_id, measured_at AS at FROM round WHERE news2_total >= 5 ORDER BY measured_at').all();
  /** The patient is still being charted well after `ms`: their stay (and so any discharge) comes later. */
  const staysPast = (id: number, ms: number) => (lastRound.get(id) ?? 0) > ms + 8 * HOUR;
  /** Charting stops within two days of `ms`, well before now: the stay ends then (the patient meets the release criteria). */
  const leavesSoon = (id: number, ms: number) => {
    const last = lastRound.get(id) ?? 0;
    return last < ms + 2 * DAY && last < nowMs - 12 * HOUR;
  };

  const wards = ctx
    .stmt<[number], { id: number; kind: string; tags: string }>(
      `SELECT w.id, w.kind, (SELECT b.tags FROM bed b WHERE b.ward_id = w.id LIMIT 1) AS tags FROM ward w WHERE w.facility_id = ? ORDER BY w.sort, w.id`,
    )
    .all(dh.id);
  const freeBedIn = ctx.stmt<[number], { id: number }>(`SELECT id FROM bed WHERE ward_id = ? AND state = 'free' ORDER BY sort, id LIMIT 1`);
  const wardOfKind = (kind: string, oxygen: boolean) => {
    const options = wards.filter((w) => w.kind === kind && (!oxygen || w.tags.includes('oxygen')) && freeBedIn.get(w.id));
    return options.length > 0 ? rng.pick(options).id : null;
  };

  const vacated: { bedId: number; at: number }[] = [];
  let transfers = 0;
  /** The receiving ward assigns a bed an hour or two later, and the patient arrives an hour or two after that. */
  const carryOut = (transferId: number, episodeId: number, fromMs: number, wardKind: string, oxygen: boolean): number => {
    const ward = wardOfKind(wardKind, oxygen) ?? wardOfKind(wardKind, false) ?? wardOfKind('general', false);
    const bed = ward === null ? undefined : freeBedIn.get(ward);
    if (!bed) return fromMs;
    const assignedAt = fromMs + rng.int(50, 150) * MIN;
    assignBed(as(receiver, assignedAt), transferId, bed.id);
    const arrivedAt = assignedAt + rng.int(40, 120) * MIN;
    const from = openPlacement(as(receiver, arrivedAt), episodeId);
    completeTransfer(as(receiver, arrivedAt), transferId, { refresh: false });
    if (from.bed_id !== null) vacated.push({ bedId: from.bed_id, at: arrivedAt });
    transfers += 1;
    return arrivedAt;
  };

  const reviewedAt = new Map<number, number>();
  const dueAt = new Map<number, number>();
  const icuBack = new Map<number, number>();
  const referredOn = new Map<number, string>();
  let reviews = 0;
  let icu = 0;
  const today = localDate(ctx.now, tz);
  const first = localDate(
    episodes.reduce((m, e) => Math.min(m, Date.parse(e.admitted_at)), nowMs),
    tz,
  );

  for (let date = addDays(first, 1); date < today; date = addDays(date, 1)) {
    const meeting = Date.parse(fromLocal(`${date}T${String(MEETING_HOUR).padStart(2, '0')}:00`, tz));
    if (meeting + 6 * HOUR > nowMs) break;

    // Last evening's referrals by the ward doctors.
    if (rng.chance(0.5)) {
      const pool = episodes.filter((e) => Date.parse(e.admitted_at) < meeting - DAY && staysPast(e.id, meeting) && !reviewedAt.has(e.id));
      if (pool.length > 0) {
        const e = rng.pick(pool);
        const c = as(referrer, meeting - rng.int(10, 14) * HOUR);
        queueHandlers.refer(c, { episodeId: e.id, note: rng.pick(REFERRAL_NOTES) });
        // Outside dispatch: the referral's state is stored here, as dispatch would store it.
        c.refreshTouched();
        referredOn.set(e.id, date);
      }
    }

    const candidates = new Set<number>();
    for (const r of worrying) {
      const t = Date.parse(r.at);
      if (t > meeting - DAY && t <= meeting) candidates.add(r.episode_id);
    }
    for (const [id, due] of dueAt) if (due <= meeting) candidates.add(id);
    for (const [id, on] of referredOn) if (on === date) candidates.add(id);
    for (const [id, day] of icuBack) if (day <= meeting) candidates.add(id);
    const newHighRisk = episodes.filter((e) => e.risk && !reviewedAt.has(e.id) && Date.parse(e.admitted_at) < meeting - 12 * HOUR && Date.parse(e.admitted_at) > meeting - 3 * DAY);
    for (let i = 0; i < NEW_HIGH_RISK_PER_DAY && newHighRisk.length > 0; i++) candidates.add(newHighRisk.splice(rng.int(0, newHighRisk.length - 1), 1)[0]!.id);

    let slot = 0;
    for (const id of [...candidates].sort((a, b) => a - b)) {
      const e = byId.get(id);
      const at = meeting + slot * MINUTES_PER_PATIENT * MIN;
      if (!e || Date.parse(e.admitted_at) > at - 2 * HOUR || !staysPast(id, at + 6 * HOUR)) continue;
      if ((reviewedAt.get(id) ?? 0) > at - 20 * HOUR) continue;
      const c = as(expert, at);
      const place = openPlacement(c, id);
      const snap = computeSnapshot(c, id);
      const codes = snap.flags.map((f) => f.code);
      const changing = codes.filter((code) => !STANDING.has(code));
      const tier = tierBefore(c, id, c.now, []) as TierCode | null;
      const proposed = snap.proposal.proposed;
      const backFromIcu = icuBack.has(id) && (icuBack.get(id) ?? Infinity) <= at;
      // The panel reviews flagged patients; a planned return from ICU waits for the next review that falls due.
      if (codes.length === 0) continue;
      slot += 1;

      let f: ReviewFields = { decision: 'continue', note: null, tier: null, nextReviewDue: new Date(at + DAY).toISOString(), planChange: null, planGoals: null };
      let move: { ward: string; oxygen: boolean } | null = null;
      if (place.facility_kind !== 'designated') {
        const worse = changing.length > 0;
        if (worse || (compareClass(proposed, 'mild') >= 0 && e.risk && rng.chance(0.6))) {
          const severe = compareClass(proposed, 'severe') >= 0;
          f = {
            ...f,
            decision: 'transfer_designated',
            tier: severe ? 'T4' : 'T3',
            note: worse ? `${describe(changing)}，转定点医院进一步治疗` : '有重症高危因素的轻型病例，按诊疗方案转定点医院集中治疗',
          };
          move = { ward: severe ? 'severe' : 'general', oxygen: codes.includes('hypoxaemia_worsening') };
        } else {
          f = {
            ...f,
            note: referredOn.has(id) ? '专家组评估：病情平稳，继续方舱观察，加强监测' : '无症状/轻症，高危因素已知，方舱内加强监测',
            nextReviewDue: new Date(at + 3 * DAY).toISOString(),
          };
        }
      } else if (backFromIcu) {
        icuBack.delete(id);
        // The ward may already have lowered the tier; the panel then only sends the patient back.
        f = tier === 'T5' ? { ...f, decision: 'step_down', tier: 'T4' } : f;
        f = { ...f, note: '氧合改善，撤离高流量氧疗，转回重症病区继续治疗', planChange: '停用俯卧位通气；继续抗凝；每4小时监测' };
        move = { ward: 'severe', oxygen: true };
      } else if (compareClass(proposed, 'severe') >= 0 && place.ward_kind !== 'icu' && icu < MAX_ICU && staysPast(id, at + 6 * DAY)) {
        f = { ...f, decision: 'transfer_icu', tier: 'T5', note: '重型，氧合进行性下降，转ICU加强监护治疗', planChange: '高流量氧疗；清醒俯卧位；评估无创通气指征' };
        move = { ward: 'icu', oxygen: true };
        icu += 1;
        icuBack.set(id, at + rng.int(4, 6) * DAY);
      } else if (compareClass(proposed, 'severe') >= 0 && (tier === null || tier < 'T4') && place.ward_kind !== 'icu') {
        f = { ...f, decision: 'escalate_tier', tier: 'T4', note: '符合重型标准，升级至重症病区', planChange: '鼻导管吸氧，维持SpO2≥94%；低分子肝素预防抗凝' };
        move = { ward: 'severe', oxygen: true };
      } else if (tier === 'T4' && compareClass(proposed, 'moderate') <= 0 && place.ward_kind !== 'icu') {
        f = { ...f, decision: 'step_down', tier: 'T3', note: '病情稳定，降级至普通病区' };
      } else if (leavesSoon(id, at) && changing.length === 0 && compareClass(proposed, 'moderate') <= 0) {
        f = { ...f, decision: 'ready_for_discharge', note: '症状明显好转，待核酸结果符合标准后出院', nextReviewDue: null };
      } else {
        f =
          changing.length > 0
            ? { ...f, note: `${describe(changing)}，继续观察，24小时复评` }
            : { ...f, note: '病情平稳，继续当前方案', nextReviewDue: new Date(at + 3 * DAY).toISOString() };
      }

      const outcome = signReview(c, id, f, undefined, { snapshot: snap, refresh: false });
      reviews += 1;
      reviewedAt.set(id, at);
      if (f.nextReviewDue) dueAt.set(id, Date.parse(f.nextReviewDue));
      else dueAt.delete(id);
      if (outcome.transferId !== null && move) carryOut(outcome.transferId, id, at, move.ward, move.oxygen);
      else if (move || f.decision === 'step_down') {
        // A move within the designated hospital: the ward requests it once the panel decided.
        const target = move?.ward ?? (f.tier === 'T4' ? 'severe' : 'general');
        const ward = place.ward_kind === target ? null : wardOfKind(target, false);
        if (ward !== null) {
          const tid = requestTransfer(as(receiver, at + 20 * MIN), { episodeId: id, toFacilityId: dh.id, toWardId: ward, reason: f.note ?? decisionNote(f.decision) });
          carryOut(tid, id, at + 20 * MIN, target, false);
        }
      }
    }
  }

  // Beds vacated long enough ago have had their terminal cleaning.
  for (const v of vacated) {
    const cleanedAt = v.at + 6 * HOUR;
    if (cleanedAt > nowMs) continue;
    const bed = bedById(ctx, v.bedId);
    if (bed.state === 'cleaning') changeBedState(as(nurse, cleanedAt), bed, 'cleaning', 'free', null);
  }
  return { reviews, transfers };
}

function describe(codes: readonly FlagCode[]): string {
  const words: Partial<Record<FlagCode, string>> = {
    news2_high: 'NEWS2评分升高',
    hypoxaemia_worsening: '低氧趋势',
    meets_severe_criteria: '符合重型标准',
    lymphocytes_falling: '淋巴细胞进行性下降',
    crp_rising: 'CRP上升',
    il6_rising: 'IL-6上升',
    ferritin_rising: '铁蛋白上升',
    ddimer_raised: 'D-二聚体升高',
    lactate_rising: '乳酸升高',
    imaging_progression: '影像学进展',
    class_worse_than_last_review: '分型较上次会诊加重',
  };
  return codes.map((c) => words[c] ?? c).join('、');
}

function decisionNote(d: ReviewDecision): string {
  return d === 'step_down' ? '专家组决定降级，转回普通病区' : '专家组决定转科';
}
