import { AppError } from '../../../shared/errors';
import type { Ctx } from '../context';
import type { AdmitInputSchema } from '../../../shared/api/patients';
import type { z } from 'zod';
import { birthDateFromIdCard, maskIdCard } from '../../../shared/domain/idcard';
import { localDate } from '../../../shared/domain/time';
import { settingsOf } from '../settings/settings';
import { patientSearchKeys } from './search-keys';
import { storedAge } from './repo';

type AdmitInput = z.output<typeof AdmitInputSchema>;

export interface NewAdmission {
  patient: AdmitInput['patient'];
  wardId: number;
  admittedAt: string;
  source: AdmitInput['source'];
}

/**
 * Checks a new admission's identity and ward (the rules shared by admission to a bed and to a
 * ward's waiting list) and returns the birth date to store: from the form, else from the ID card.
 */
export function checkNewAdmission(ctx: Ctx, input: NewAdmission): { birthDate: string | null } {
  const { patient: p } = input;
  const tz = settingsOf(ctx).timeZone;
  if (input.admittedAt > ctx.now) throw AppError.field('admittedAt', 'validation.future');

  let birthDate = p.birthDate ?? null;
  if (p.idCard) {
    const fromCard = birthDateFromIdCard(p.idCard);
    if (birthDate && fromCard && birthDate !== fromCard) throw AppError.field('patient.birthDate', 'validation.birth_date_mismatch', { idCardDate: fromCard });
    birthDate ??= fromCard;
    const existing = ctx.stmt<[string], { id: number }>('SELECT id FROM patient WHERE id_card = ?').get(p.idCard);
    if (existing)
      throw new AppError('CONFLICT', 'a patient with this ID card number exists', {
        key: 'admit.duplicate_id_card',
        issues: [{ field: 'patient.idCard', key: 'admit.duplicate_id_card' }],
        patientId: existing.id,
      });
  }
  if (birthDate && birthDate > localDate(ctx.now, tz)) throw AppError.field('patient.birthDate', 'validation.future');
  if (birthDate && birthDate > localDate(input.admittedAt, tz)) throw AppError.field('admittedAt', 'validation.before_birth');

  const ward = ctx.stmt<[number], { id: number }>('SELECT id FROM ward WHERE id = ?').get(input.wardId);
  if (!ward) throw AppError.field('wardId', 'error.ward_not_found');
  return { birthDate };
}

/**
 * Writes the patient, the episode and its first placement (bedId null = the ward's waiting list),
 * refreshes the episode state and audits patient and episode. The caller has run checkNewAdmission
 * and owns the bed's state.
 */
export function writeAdmission(ctx: Ctx, input: NewAdmission, birthDate: string | null, bedId: number | null): { patientId: number; episodeId: number; placementId: number } {
  const { patient: p } = input;
  const actor = ctx.actor;
  const row = {
    name: p.name,
    sex: p.sex,
    birth_date: birthDate,
    ...storedAge(birthDate, p),
    id_card: p.idCard ?? null,
    phone: p.phone ?? null,
    address: p.address,
    community: p.community,
    risk_factors: JSON.stringify([...new Set(p.riskFactors)].sort()),
    vaccination_doses: p.vaccinationDoses ?? null,
    allergies: p.allergies,
    chronic_medications: p.chronicMedications,
  };
  const patientId = Number(
    ctx
      .stmt(
        `INSERT INTO patient (name, sex, birth_date, age_years, age_months, id_card, phone, address, community, risk_factors, vaccination_doses, allergies, chronic_medications, created_at, created_by, name_initials, id_card_rev)
         VALUES (@name, @sex, @birth_date, @age_years, @age_months, @id_card, @phone, @address, @community, @risk_factors, @vaccination_doses, @allergies, @chronic_medications, @now, @by, @name_initials, @id_card_rev)`,
      )
      .run({ ...row, ...patientSearchKeys(row.name, row.id_card), now: ctx.now, by: actor.id }).lastInsertRowid,
  );
  const episodeId = Number(
    ctx.stmt(`INSERT INTO episode (patient_id, admitted_at, source, created_by) VALUES (?, ?, ?, ?)`).run(patientId, input.admittedAt, input.source, actor.id).lastInsertRowid,
  );
  const placementId = Number(
    ctx
      .stmt(`INSERT INTO placement (episode_id, ward_id, bed_id, start_at, began_by, created_by) VALUES (?, ?, ?, ?, 'admission', ?)`)
      .run(episodeId, input.wardId, bedId, input.admittedAt, actor.id).lastInsertRowid,
  );
  ctx.touchEpisode(episodeId);
  ctx.audit({ action: 'patient.create', entity: 'patient', entityId: patientId, patientId, after: { ...row, id_card: maskIdCard(row.id_card) } });
  ctx.audit({
    action: 'episode.admit',
    entity: 'episode',
    entityId: episodeId,
    patientId,
    after: { admittedAt: input.admittedAt, source: input.source, wardId: input.wardId, bedId, ...(bedId === null ? { waitingList: true } : {}) },
  });
  return { patientId, episodeId, placementId };
}
