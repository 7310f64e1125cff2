import { AppError } from '../../../shared/errors';
import type { DomainHandlers } from '../context';
import { birthDateFromIdCard, maskIdCard } from '../../../shared/domain/idcard';
import { localDate } from '../../../shared/domain/time';
import { currentAge } from './repo';
import { settingsOf } from '../settings/settings';
import { assertWardAccess } from '../auth/scope';
import { refreshEpisodeState } from '../clinical/state';
import { patientSearchKeys } from './search-keys';
import { searchPatients } from './search';

interface BedRow {
  id: number;
  ward_id: number;
  state: string;
}

export const patientHandlers: DomainHandlers<'patients'> = {
  search: searchPatients,
  admit(ctx, input) {
    const { patient: p } = input;
    const tz = settingsOf(ctx).timeZone;
    if (input.admittedAt > ctx.now) throw AppError.field('admittedAt', 'validation.future');

    let birthDate = p.birthDate ?? null;
    if (p.idCard) {
      const fromCard = birthDateFromIdCard(p.idCard);
      if (birthDate && fromCard && birthDate !== fromCard) throw AppError.field('patient.birthDate', 'validation.birth_date_mismatch', { idCardDate: fromCard });
      birthDate ??= fromCard;
      const existing = ctx.stmt<[string], { id: number }>('SELECT id FROM patient WHERE id_card = ?').get(p.idCard);
      if (existing) throw new AppError('CONFLICT', 'a patient with this ID card number exists', { key: 'admit.duplicate_id_card', issues: [{ field: 'patient.idCard', key: 'admit.duplicate_id_card' }], patientId: existing.id });
    }
    if (birthDate && birthDate > localDate(ctx.now, tz)) throw AppError.field('patient.birthDate', 'validation.future');
    if (birthDate && birthDate > localDate(input.admittedAt, tz)) throw AppError.field('admittedAt', 'validation.before_birth');

    const ward = ctx.stmt<[number], { id: number }>('SELECT id FROM ward WHERE id = ?').get(input.wardId);
    if (!ward) throw AppError.field('wardId', 'error.ward_not_found');
    assertWardAccess(ctx, input.wardId);
    const bed = ctx.stmt<[number], BedRow>('SELECT id, ward_id, state FROM bed WHERE id = ?').get(input.bedId);
    if (!bed || bed.ward_id !== input.wardId) throw AppError.field('bedId', 'error.bed_not_found');
    if (bed.state !== 'free') throw new AppError('CONFLICT', 'bed is not free', { key: 'admit.bed_not_free', issues: [{ field: 'bedId', key: 'admit.bed_not_free' }] });

    const actor = ctx.actor;
    const patientRow = {
      name: p.name,
      sex: p.sex,
      birth_date: birthDate,
      age_years: birthDate ? null : (p.ageYears ?? null),
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
          `INSERT INTO patient (name, sex, birth_date, age_years, id_card, phone, address, community, risk_factors, vaccination_doses, allergies, chronic_medications, created_at, created_by, name_initials, id_card_rev)
           VALUES (@name, @sex, @birth_date, @age_years, @id_card, @phone, @address, @community, @risk_factors, @vaccination_doses, @allergies, @chronic_medications, @now, @by, @name_initials, @id_card_rev)`,
        )
        .run({ ...patientRow, ...patientSearchKeys(patientRow.name, patientRow.id_card), now: ctx.now, by: actor.id }).lastInsertRowid,
    );
    const episodeId = Number(
      ctx
        .stmt(`INSERT INTO episode (patient_id, admitted_at, source, created_by) VALUES (?, ?, ?, ?)`)
        .run(patientId, input.admittedAt, input.source, actor.id).lastInsertRowid,
    );
    const placementId = Number(
      ctx
        .stmt(`INSERT INTO placement (episode_id, ward_id, bed_id, start_at, began_by, created_by) VALUES (?, ?, ?, ?, 'admission', ?)`)
        .run(episodeId, input.wardId, input.bedId, input.admittedAt, actor.id).lastInsertRowid,
    );
    ctx.stmt(`UPDATE bed SET state = 'occupied' WHERE id = ?`).run(input.bedId);
    refreshEpisodeState(ctx, episodeId);

    ctx.audit({ action: 'patient.create', entity: 'patient', entityId: patientId, patientId, after: { ...patientRow, id_card: maskIdCard(patientRow.id_card) } });
    ctx.audit({ action: 'episode.admit', entity: 'episode', entityId: episodeId, patientId, after: { admittedAt: input.admittedAt, source: input.source, wardId: input.wardId, bedId: input.bedId } });
    ctx.audit({ action: 'bed.state', entity: 'bed', entityId: input.bedId, patientId, before: { state: 'free' }, after: { state: 'occupied' } });
    return { patientId, episodeId, placementId, bedId: input.bedId, admittedAt: input.admittedAt };
  },

  get(ctx, { patientId }) {
    const row = ctx
      .stmt<[number], { id: number; name: string; sex: 'M' | 'F'; birth_date: string | null; age_years: number | null; id_card: string | null; phone: string | null; community: string | null; risk_factors: string }>(
        'SELECT id, name, sex, birth_date, age_years, id_card, phone, community, risk_factors FROM patient WHERE id = ?',
      )
      .get(patientId);
    if (!row) throw new AppError('NOT_FOUND', `patient ${patientId} not found`, { key: 'error.patient_not_found' });
    return {
      id: row.id,
      name: row.name,
      sex: row.sex,
      ageYears: currentAge(row, ctx.now, settingsOf(ctx).timeZone),
      birthDate: row.birth_date,
      idCardMasked: maskIdCard(row.id_card),
      phone: row.phone,
      community: row.community,
      riskFactors: JSON.parse(row.risk_factors) as string[],
    };
  },
};
