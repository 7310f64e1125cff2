import { openRaw } from '../support/keys';
import { describe, expect, it } from 'vitest';
import type { WardBoard } from '../../shared/api/facilities';
import { admission, makeNetwork, NOW } from '../support/core';

describe('admitting a patient to a free bed', () => {
  it('lands in the SQLite file and shows on the ward board with age, sex and day of stay', () => {
    const c = makeNetwork();
    const r = c.ok<{ patientId: number; episodeId: number }>(
      'patients:admit',
      admission({ bedId: c.beds[1]!, wardId: c.wardId }, { name: '王秀英', sex: 'F', ageYears: undefined, birthDate: '1950-06-01' }),
    );
    const raw = openRaw(c.file, { readonly: true });
    expect(raw.prepare('SELECT name, sex, birth_date FROM patient WHERE id = ?').get(r.patientId)).toEqual({ name: '王秀英', sex: 'F', birth_date: '1950-06-01' });
    raw.close();

    const board = c.ok<WardBoard>('wards:board', { wardId: c.wardId });
    const bed = board.beds.find((b) => b.id === c.beds[1]);
    expect(bed?.state).toBe('occupied');
    expect(bed?.occupant).toMatchObject({ name: '王秀英', sex: 'F', ageYears: 71, dayOfStay: 1 });
    expect(board.beds.filter((b) => b.state === 'free')).toHaveLength(2);
  });

  it('counts the day of stay in the hospital time zone: admitted 23:59 local is day 2 at 00:01', () => {
    const c = makeNetwork();
    c.ok('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId, admittedAt: '2022-03-19T15:59:00.000Z' }));
    const board = c.ok<WardBoard>('wards:board', { wardId: c.wardId }, '2022-03-19T16:01:00.000Z');
    expect(board.beds[0]?.occupant?.dayOfStay).toBe(2);
  });

  it.each([
    ['an empty name', { name: '' }, 'patient.name', 'validation.required'],
    ['neither age nor birth date', { ageYears: undefined }, 'patient.ageYears', 'validation.age_or_birth_date'],
    ['an age of 150', { ageYears: 150 }, 'patient.ageYears', 'validation.too_big'],
    ['an ID card with a wrong check digit', { idCard: '110105194912310022' }, 'patient.idCard', 'validation.id_card'],
    ['a malformed phone number', { phone: '12345' }, 'patient.phone', 'validation.phone'],
    ['an unknown risk factor', { riskFactors: ['vampirism'] }, 'patient.riskFactors.0', 'validation.invalid_option'],
  ])('refuses %s with a field error and writes nothing', (_story, patient, field, key) => {
    const c = makeNetwork();
    const audits = c.count('audit');
    const r = c.call('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }, patient));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('VALIDATION');
      expect(r.error.details.issues).toContainEqual(expect.objectContaining({ field, key }));
    }
    expect(c.count('patient')).toBe(0);
    expect(c.count('audit')).toBe(audits);
  });

  it('refuses an admission time in the future', () => {
    const c = makeNetwork();
    const r = c.call('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId, admittedAt: '2022-03-20T07:00:00.000Z' }));
    expect(!r.ok && r.error.details.issues?.[0]).toEqual({ field: 'admittedAt', key: 'validation.future' });
  });

  it('refuses a bed from another ward, an unknown bed, and an occupied bed', () => {
    const c = makeNetwork();
    const other = c.call('patients:admit', admission({ bedId: c.zoneBeds[0]!, wardId: c.wardId }));
    expect(!other.ok && other.error.details.issues?.[0]?.field).toBe('bedId');
    const unknown = c.call('patients:admit', admission({ bedId: 99999, wardId: c.wardId }));
    expect(!unknown.ok && unknown.error.details.issues?.[0]?.key).toBe('error.bed_not_found');
    c.ok('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }));
    const taken = c.call('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }, { name: '李娜' }));
    expect(!taken.ok && taken.error.code).toBe('CONFLICT');
    expect(c.count('patient')).toBe(1);
  });

  it('derives the birth date from the ID card and refuses a birth date that contradicts it', () => {
    const c = makeNetwork();
    const idCard = '11010519491231002X';
    const bad = c.call('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }, { idCard, birthDate: '1950-01-01', ageYears: undefined }));
    expect(!bad.ok && bad.error.details.issues?.[0]).toMatchObject({ field: 'patient.birthDate', key: 'validation.birth_date_mismatch' });
    const r = c.ok<{ patientId: number }>('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }, { idCard, ageYears: undefined }));
    expect(c.db.prepare('SELECT birth_date FROM patient WHERE id = ?').get(r.patientId)).toEqual({ birth_date: '1949-12-31' });
    const dup = c.call('patients:admit', admission({ bedId: c.beds[1]!, wardId: c.wardId }, { idCard, name: '另一人' }));
    expect(!dup.ok && dup.error.details.key).toBe('admit.duplicate_id_card');
  });

  it('shows the ID card number masked', () => {
    const c = makeNetwork();
    const r = c.ok<{ patientId: number }>('patients:admit', admission({ bedId: c.beds[0]!, wardId: c.wardId }, { idCard: '11010519491231002x', ageYears: undefined }));
    expect(c.ok('patients:get', { patientId: r.patientId }, NOW)).toMatchObject({ idCardMasked: '110105********002X' });
  });
});
