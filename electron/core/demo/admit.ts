import type { Ctx } from '../context';
import { patientSearchKeys } from '../patients/search-keys';
import type { Rng } from './random';
import { syntheticCommunity, syntheticIdCard, syntheticName, syntheticPhone } from './names';

/** Where demo patients come from; community screening twice as often as each of the others. */
const SOURCES = ['community_screening', 'community_screening', 'close_contact', 'fever_clinic', 'referral'] as const;
/** The high-risk factors (DESIGN.md §3) a demo patient may have. */
const RISK_FACTORS = ['cardio_cerebrovascular', 'diabetes', 'chronic_lung', 'chronic_kidney', 'obesity_bmi30', 'cancer', 'heavy_smoker'] as const;

/**
 * What a patient with these risk factors takes at home, as the admission's free text records it (the
 * way ward staff wrote it in 2022): hypertension and heart disease with a calcium-channel blocker and
 * often a statin, diabetes with metformin, and so on. Chosen from the ID card's digits, never from the
 * generator's random stream, so a seed gives the same network as before (issue 19: the antiviral
 * interaction check has something to find in the demo).
 */
const HOME_MEDICINES: Record<string, readonly string[]> = {
  cardio_cerebrovascular: [
    '氨氯地平 5mg qd',
    '阿托伐他汀 20mg qn，氨氯地平 5mg qd',
    '辛伐他汀 20mg qn，硝苯地平控释片 30mg qd',
    '阿司匹林 100mg qd，氯吡格雷 75mg qd',
    '缬沙坦 80mg qd',
  ],
  diabetes: ['二甲双胍 0.5g tid', '二甲双胍 0.5g bid，格列美脲 2mg qd', '胰岛素（门冬胰岛素）三餐前'],
  chronic_lung: ['沙美特罗替卡松吸入剂 1吸 bid', '噻托溴铵吸入剂 qd'],
  chronic_kidney: ['碳酸钙 0.5g tid'],
  cancer: ['他莫昔芬 10mg bid'],
};

export function demoChronicMedications(risk: readonly string[], idCard: string): string | null {
  const pick = [...idCard].reduce((s, ch) => s + ch.charCodeAt(0), 0);
  const parts = risk.flatMap((f) => {
    const options = HOME_MEDICINES[f];
    return options ? [options[pick % options.length]!] : [];
  });
  return parts.length > 0 ? parts.join('；') : null;
}

export interface Spot {
  wardId: number;
  bedId: number;
}

/**
 * Admissions of synthetic patients for both demo generators, written as admission writes them: the
 * patient with its search keys, the episode, the admission placement, the bed occupied. Each helper
 * draws from `rng` in a fixed order, and the generators call them where they always drew those
 * values, so a seed still gives the same network.
 */
export function demoAdmissions(ctx: Ctx, rng: Rng, adminId: number) {
  const insertPatient = ctx.stmt(
    `INSERT INTO patient (name, sex, birth_date, id_card, phone, community, risk_factors, vaccination_doses, created_at, created_by, name_initials, id_card_rev, chronic_medications)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertEpisode = ctx.stmt(`INSERT INTO episode (patient_id, admitted_at, source, created_by) VALUES (?, ?, ?, ?)`);
  const insertPlacement = ctx.stmt(`INSERT INTO placement (episode_id, ward_id, bed_id, start_at, began_by, created_by) VALUES (?, ?, ?, ?, 'admission', ?)`);
  const occupyBed = ctx.stmt(`UPDATE bed SET state = 'occupied' WHERE id = ?`);
  const usedIdCards = new Set<string>();
  return {
    /** A birth date on a random day of the year that makes the patient `age` in `year`. */
    birthDate: (year: number, age: number) => `${year - age - 1}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`,
    /** A valid ID-card number that no other patient of this network has. */
    idCard: (birthDate: string, sex: 'M' | 'F', seq: number) => {
      let idCard = syntheticIdCard(rng, birthDate, sex, seq);
      while (usedIdCards.has(idCard)) idCard = syntheticIdCard(rng, birthDate, sex, seq + rng.int(1, 99));
      usedIdCards.add(idCard);
      return idCard;
    },
    /** Risk factors, more often over 60. */
    riskFactors: (age: number) => RISK_FACTORS.filter(() => rng.chance(age > 60 ? 0.18 : 0.04)),
    /** The patient, episode and placement in `spot`; returns the episode id. */
    admit: (p: { idCard: string; birthDate: string; sex: 'M' | 'F'; risk: readonly string[]; admittedAt: string; spot: Spot }): number => {
      const name = syntheticName(rng);
      const keys = patientSearchKeys(name, p.idCard);
      const patientId = Number(
        insertPatient.run(
          name,
          p.sex,
          p.birthDate,
          p.idCard,
          syntheticPhone(rng),
          syntheticCommunity(rng),
          JSON.stringify(p.risk),
          rng.int(0, 3),
          p.admittedAt,
          adminId,
          keys.name_initials,
          keys.id_card_rev,
          demoChronicMedications(p.risk, p.idCard),
        ).lastInsertRowid,
      );
      const episodeId = Number(insertEpisode.run(patientId, p.admittedAt, rng.pick(SOURCES), adminId).lastInsertRowid);
      insertPlacement.run(episodeId, p.spot.wardId, p.spot.bedId, p.admittedAt, adminId);
      occupyBed.run(p.spot.bedId);
      return episodeId;
    },
  };
}
