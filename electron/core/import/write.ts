import type { Ctx } from '../context';
import type { CaseRecord } from '../../../shared/import/cases';
import { maskIdCard } from '../../../shared/domain/idcard';
import { patientSearchKeys } from '../patients/search-keys';
import { refreshEpisodeState } from '../clinical/state';

/**
 * What an imported case becomes (the decision of issue 8): a patient, an episode admitted at the
 * chosen time, and a placement in the chosen ward *without a bed* — the ward's waiting list, where
 * admin assigns beds as the buses arrive — plus the positive nucleic-acid test from the list (sample
 * date and Ct values), so the chart's Ct series and the release criteria start from the CDC's result.
 */
export function insertImportedCase(
  ctx: Ctx,
  c: { record: CaseRecord; line: number; batchId: number; wardId: number; admittedAt: string; actorId: number },
): { patientId: number; episodeId: number } {
  const p = c.record.patient;
  const row = {
    name: p.name,
    sex: p.sex,
    birth_date: p.birthDate,
    age_years: p.birthDate ? null : (p.ageYears ?? null),
    id_card: p.idCard ?? null,
    phone: p.phone ?? null,
    address: p.address,
    community: p.community,
  };
  const patientId = Number(
    ctx
      .stmt(
        `INSERT INTO patient (name, sex, birth_date, age_years, id_card, phone, address, community, risk_factors, created_at, created_by, name_initials, id_card_rev, import_batch_id)
         VALUES (@name, @sex, @birth_date, @age_years, @id_card, @phone, @address, @community, '[]', @now, @by, @name_initials, @id_card_rev, @batch)`,
      )
      .run({ ...row, ...patientSearchKeys(p.name, row.id_card), now: ctx.now, by: c.actorId, batch: c.batchId }).lastInsertRowid,
  );
  const episodeId = Number(
    ctx.stmt(`INSERT INTO episode (patient_id, admitted_at, source, created_by) VALUES (?, ?, ?, ?)`).run(patientId, c.admittedAt, c.record.source, c.actorId).lastInsertRowid,
  );
  const placementId = Number(
    ctx
      .stmt(`INSERT INTO placement (episode_id, ward_id, bed_id, start_at, began_by, created_by) VALUES (?, ?, NULL, ?, 'admission', ?)`)
      .run(episodeId, c.wardId, c.admittedAt, c.actorId).lastInsertRowid,
  );
  let labId: number | null = null;
  if (c.record.sampledAt) {
    const { nCt, orf1abCt } = c.record;
    labId = Number(
      ctx
        .stmt(
          `INSERT INTO lab_result (episode_id, collected_at, analyte, n_ct, orf1ab_ct, qualitative, note, entered_at, author_id)
           VALUES (?, ?, 'nucleic_acid', ?, ?, ?, ?, ?, ?)`,
        )
        // A list without Ct values still reports a positive test.
        .run(episodeId, c.record.sampledAt, nCt, orf1abCt, nCt === null && orf1abCt === null ? 'positive' : null, c.record.sourceText, ctx.now, c.actorId).lastInsertRowid,
    );
  }
  refreshEpisodeState(ctx, episodeId);

  ctx.audit({ action: 'patient.create', entity: 'patient', entityId: patientId, patientId, after: { ...row, id_card: maskIdCard(row.id_card), importBatchId: c.batchId, line: c.line } });
  ctx.audit({
    action: 'episode.admit',
    entity: 'episode',
    entityId: episodeId,
    patientId,
    after: { admittedAt: c.admittedAt, source: c.record.source, wardId: c.wardId, bedId: null, placementId, importBatchId: c.batchId },
  });
  if (labId !== null) {
    ctx.audit({
      action: 'lab.record',
      entity: 'lab_result',
      entityId: labId,
      patientId,
      after: { analyte: 'nucleic_acid', collectedAt: c.record.sampledAt, nCt: c.record.nCt, orf1abCt: c.record.orf1abCt, importBatchId: c.batchId },
    });
  }
  return { patientId, episodeId };
}
