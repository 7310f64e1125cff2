import type { Ctx } from '../context';
import type { DuplicateKeys } from '../../../shared/import/cases';
import type { EpisodeStatus } from '../../../shared/domain/enums';

export interface DatabaseDuplicate {
  by: 'idCard' | 'nbp';
  patientId: number;
  name: string;
  episodeId: number | null;
  status: EpisodeStatus | null;
}

interface Row {
  id: number;
  name: string;
  episode_id: number | null;
  status: EpisodeStatus | null;
}

const LATEST_EPISODE = `LEFT JOIN episode e ON e.id = (SELECT x.id FROM episode x WHERE x.patient_id = p.id ORDER BY x.admitted_at DESC LIMIT 1)`;

/**
 * The person already in the database, by ID card (unique index) or by name + birth date + phone
 * (index patient_name_birth_phone). Phones are compared with and without the +86 country code.
 */
export function findInDatabase(ctx: Ctx, keys: DuplicateKeys): DatabaseDuplicate | null {
  if (keys.idCard) {
    const r = ctx.stmt<[string], Row>(`SELECT p.id, p.name, e.id AS episode_id, e.status FROM patient p ${LATEST_EPISODE} WHERE p.id_card = ?`).get(keys.idCard);
    if (r) return { by: 'idCard', patientId: r.id, name: r.name, episodeId: r.episode_id, status: r.status };
  }
  if (keys.nbp) {
    const [name, birth, phone] = keys.nbp.split('|') as [string, string, string];
    const r = ctx
      .stmt<[string, string, string, string, string], Row>(
        `SELECT p.id, p.name, e.id AS episode_id, e.status FROM patient p ${LATEST_EPISODE}
         WHERE p.name = ? AND p.birth_date = ? AND p.phone IN (?, ?, ?) LIMIT 1`,
      )
      .get(name, birth, phone, `+86${phone}`, `86${phone}`);
    if (r) return { by: 'nbp', patientId: r.id, name: r.name, episodeId: r.episode_id, status: r.status };
  }
  return null;
}
