import { pinyin } from 'pinyin-pro';
import type { Db } from '../db/types';

/**
 * Stored search keys of a patient row, so "search as you type" is an index range scan, never a
 * scan of every patient: pinyin initials of the name (张伟 → "zw"; surnames read as surnames, so
 * 曾 is z and 单 is s) and the ID-card number reversed (a tail "1234" becomes the prefix "4321").
 * Every place that inserts a patient fills them with `patientSearchKeys`; rows written before
 * migration 7, or by a path that did not, are filled by `backfillPatientSearchKeys` at start-up.
 */
export interface PatientSearchKeys {
  name_initials: string;
  id_card_rev: string | null;
}

export function nameInitials(name: string): string {
  const parts = pinyin(name.trim(), { pattern: 'first', toneType: 'none', surname: 'head', type: 'array', nonZh: 'consecutive' });
  let out = '';
  for (const part of parts) {
    // Latin words ("Tom", "John Smith") contribute the first letter of each word; punctuation nothing.
    for (const word of part.split(/[^A-Za-z\u00c0-\u024f]+/)) if (word) out += word.charAt(0);
  }
  return out.toLowerCase();
}

export function reversed(s: string): string {
  return [...s].reverse().join('');
}

export function patientSearchKeys(name: string, idCard: string | null): PatientSearchKeys {
  return { name_initials: nameInitials(name), id_card_rev: idCard ? reversed(idCard.toUpperCase()) : null };
}

/** Fills missing keys in batches; uses the partial index on rows without initials, so it is instant when none are missing. */
export function backfillPatientSearchKeys(db: Db): number {
  const pending = db.prepare<[], { id: number; name: string; id_card: string | null }>('SELECT id, name, id_card FROM patient WHERE name_initials IS NULL LIMIT 5000');
  const update = db.prepare('UPDATE patient SET name_initials = @name_initials, id_card_rev = @id_card_rev WHERE id = @id');
  let filled = 0;
  for (;;) {
    const rows = pending.all();
    if (rows.length === 0) return filled;
    db.transaction(() => {
      for (const r of rows) update.run({ id: r.id, ...patientSearchKeys(r.name, r.id_card) });
    }).immediate();
    filled += rows.length;
  }
}
