import { AppError } from '../../../shared/errors';
import type { DomainHandlers } from '../context';
import { maskIdCard } from '../../../shared/domain/idcard';
import { ageAt } from './repo';
import { settingsOf } from '../settings/settings';
import { checkNewAdmission, writeAdmission } from './admission';
import { searchPatients } from './search';
import { bedNotFree } from '../beds/moves';

interface BedRow {
  id: number;
  ward_id: number;
  label: string;
  state: string;
}

export const patientHandlers: DomainHandlers<'patients'> = {
  search: searchPatients,
  admit(ctx, input) {
    const { birthDate } = checkNewAdmission(ctx, input);
    const bed = ctx.stmt<[number], BedRow>('SELECT id, ward_id, label, state FROM bed WHERE id = ?').get(input.bedId);
    if (!bed || bed.ward_id !== input.wardId) throw AppError.field('bedId', 'error.bed_not_found');
    // Naming who took it and when, like every other refusal of a bed that is no longer free.
    if (bed.state !== 'free') throw bedNotFree(ctx, bed);
    // The bed is taken before the episode state is computed, so the state sees the placement complete.
    ctx.stmt(`UPDATE bed SET state = 'occupied' WHERE id = ?`).run(input.bedId);
    const ids = writeAdmission(ctx, input, birthDate, input.bedId);
    ctx.audit({ action: 'bed.state', entity: 'bed', entityId: input.bedId, patientId: ids.patientId, before: { state: 'free' }, after: { state: 'occupied' } });
    return { ...ids, bedId: input.bedId, admittedAt: input.admittedAt };
  },

  get(ctx, { patientId }) {
    const row = ctx
      .stmt<
        [number],
        {
          id: number;
          name: string;
          sex: 'M' | 'F';
          birth_date: string | null;
          age_years: number | null;
          age_months: number | null;
          created_at: string;
          id_card: string | null;
          phone: string | null;
          community: string | null;
          risk_factors: string;
        }
      >('SELECT id, name, sex, birth_date, age_years, age_months, created_at, id_card, phone, community, risk_factors FROM patient WHERE id = ?')
      .get(patientId);
    if (!row) throw new AppError('NOT_FOUND', `patient ${patientId} not found`, { key: 'error.patient_not_found' });
    const age = ageAt(row, ctx.now, settingsOf(ctx).timeZone);
    return {
      id: row.id,
      name: row.name,
      sex: row.sex,
      ageYears: age.years,
      ageMonths: age.months,
      birthDate: row.birth_date,
      idCardMasked: maskIdCard(row.id_card),
      phone: row.phone,
      community: row.community,
      riskFactors: JSON.parse(row.risk_factors) as string[],
    };
  },
};
