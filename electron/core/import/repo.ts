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

/** The name, birth date and phone of a DuplicateKeys.nbp. */
const nbpParts = (nbp: string): [string, string, string] => nbp.split('|').slice(0, 3) as [string, string, string];

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
    const [name, birth, phone] = nbpParts(keys.nbp);
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

const KNOWN_ID_CARDS = `SELECT p.id_card FROM json_each(?) j JOIN patient p ON p.id_card = j.value`;
const KNOWN_NBPS = `SELECT j.key FROM json_each(?) j
  WHERE EXISTS (SELECT 1 FROM patient p WHERE p.name = j.value ->> 0 AND p.birth_date = j.value ->> 1
                  AND p.phone IN (j.value ->> 2, '+86' || (j.value ->> 2), '86' || (j.value ->> 2)))`;

/**
 * findInDatabase for many rows at once (null keys: rows not to look up). Two set queries — every ID
 * card, every name + birth date + phone, each sent as one JSON array and probed through the same
 * indexes with the same predicates as findInDatabase — tell which rows match anybody; only those are
 * then looked up one by one for the details. New cases thus cost two statements per call instead of
 * two per row (~9 µs a row at 50,000).
 */
export function findAllInDatabase(ctx: Ctx, keys: readonly (DuplicateKeys | null)[]): (DatabaseDuplicate | null)[] {
  const idCards: string[] = [];
  const nbps: [string, string, string][] = [];
  const nbpIndex: number[] = [];
  keys.forEach((k, i) => {
    if (k?.idCard) idCards.push(k.idCard);
    if (k?.nbp) {
      nbps.push(nbpParts(k.nbp));
      nbpIndex.push(i);
    }
  });
  const knownIds = new Set(idCards.length === 0 ? [] : ctx.stmt<[string], string>(KNOWN_ID_CARDS).pluck().all(JSON.stringify(idCards)));
  const nbpHit = new Set((nbps.length === 0 ? [] : ctx.stmt<[string], number>(KNOWN_NBPS).pluck().all(JSON.stringify(nbps))).map((j) => nbpIndex[j]));
  return keys.map((k, i) => (k && ((k.idCard && knownIds.has(k.idCard)) || nbpHit.has(i)) ? findInDatabase(ctx, k) : null));
}
