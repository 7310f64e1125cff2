import type { Ctx } from '../context';
import { AppError } from '../../../shared/errors';
import { isWellFormed } from '../../../shared/api/fields';
import type { PatientSearchHit, PatientSearchInput } from '../../../shared/api/patientSearch';
import { SEARCH_LIST_LIMIT, SEARCH_SUGGEST_LIMIT } from '../../../shared/api/patientSearch';
import { maskIdCard } from '../../../shared/domain/idcard';
import { currentAge } from './repo';
import { settingsOf } from '../settings/settings';
import { patientSearchKeys, reversed } from './search-keys';

type MatchedBy = PatientSearchHit['matchedBy'];

/** Longer than any key searched (names, bed labels and ID cards are at most 50 characters). */
const LONGEST_KEY = 64;

/**
 * The exclusive upper bound of a prefix range: `张` → every string starting with 张 sorts in [张, 张+1).
 * Code points order as SQLite compares UTF-8. U+10FFFF, the largest, carries to the code point before
 * it (a prefix of nothing else gets a bound longer than any key); the surrogate range, which has no
 * UTF-8 form, is stepped over. Issue 12, finding 12: `String.fromCodePoint(0x110000)` threw.
 */
function upper(prefix: string): string {
  const cps = [...prefix].map((c) => c.codePointAt(0) ?? 0);
  while (cps.length > 0 && cps[cps.length - 1] === 0x10ffff) cps.pop();
  if (cps.length === 0) return prefix + '\u{10FFFF}'.repeat(LONGEST_KEY);
  const next = (cps.pop() ?? 0) + 1;
  return String.fromCodePoint(...cps, next >= 0xd800 && next <= 0xdfff ? 0xe000 : next);
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

interface HitRow {
  id: number;
  name: string;
  sex: 'M' | 'F';
  birth_date: string | null;
  age_years: number | null;
  id_card: string | null;
  episode_id: number | null;
  status: 'active' | 'discharged' | 'deceased' | null;
  admitted_at: string | null;
  label: string | null;
  ward_name: string | null;
  facility_name: string | null;
}

const HIT_SQL = `SELECT p.id, p.name, p.sex, p.birth_date, p.age_years, p.id_card, e.id AS episode_id, e.status, e.admitted_at,
       b.label, w.name AS ward_name, f.name AS facility_name
FROM patient p
LEFT JOIN episode e ON e.id = (SELECT x.id FROM episode x WHERE x.patient_id = p.id ORDER BY x.admitted_at DESC LIMIT 1)
LEFT JOIN placement pl ON pl.episode_id = e.id AND pl.end_at IS NULL
LEFT JOIN bed b ON b.id = pl.bed_id
LEFT JOIN ward w ON w.id = pl.ward_id
LEFT JOIN facility f ON f.id = w.facility_id
WHERE p.id = ?`;

/**
 * Search as you type (issue 8): by name (prefix), pinyin initials ("zw" finds 张伟), bed label
 * ("A1-0") or the tail of the ID-card number (4–6 characters). Every strategy is an index range scan
 * on a stored key (EXPLAIN QUERY PLAN asserted in test/core/search.test.ts); patients still without
 * stored keys (written by a path that did not fill them, until the next start-up backfill) are
 * matched from the small partial index of pending rows.
 */
export function searchPatients(ctx: Ctx, input: PatientSearchInput): { results: PatientSearchHit[]; more: boolean } {
  const q = input.q.trim();
  // A lone surrogate has no UTF-8 form: SQLite would search for a replacement character instead.
  if (!isWellFormed(q)) throw AppError.field('q', 'validation.invalid_text');
  const limit = input.mode === 'list' ? SEARCH_LIST_LIMIT : SEARCH_SUGGEST_LIMIT;
  const found = new Map<number, MatchedBy>();
  const add = (ids: { id: number }[], by: MatchedBy) => {
    for (const r of ids) if (!found.has(r.id)) found.set(r.id, by);
  };
  // Statements per mode, with constant limits (a bound LIMIT is much slower here, see clinical/state.ts).
  const n = limit + 1;

  if (q === '') {
    if (input.mode === 'list')
      add(ctx.stmt<[], { id: number }>(`SELECT patient_id AS id FROM episode WHERE status = 'active' ORDER BY admitted_at DESC LIMIT ${n}`).all(), 'active');
  } else {
    if (CJK.test(q)) add(ctx.stmt<[string, string], { id: number }>(`SELECT id FROM patient WHERE name >= ? AND name < ? ORDER BY name LIMIT ${n}`).all(q, upper(q)), 'name');
    const lower = q.toLowerCase();
    if (/^[a-z]+$/.test(lower)) {
      add(
        ctx
          .stmt<[string, string], { id: number }>(`SELECT id FROM patient WHERE name_initials >= ? AND name_initials < ? ORDER BY name_initials LIMIT ${n}`)
          .all(lower, upper(lower)),
        'initials',
      );
    }
    const tail = q.toUpperCase();
    const isTail = /^\d{3,5}[\dX]$/.test(tail);
    if (isTail) {
      const rev = reversed(tail);
      add(ctx.stmt<[string, string], { id: number }>(`SELECT id FROM patient WHERE id_card_rev >= ? AND id_card_rev < ? LIMIT ${n}`).all(rev, upper(rev)), 'idTail');
    }
    if (/^[A-Z0-9][A-Z0-9-]*$/.test(tail)) {
      add(
        ctx
          .stmt<[string, string], { id: number }>(
            `SELECT e.patient_id AS id FROM bed b JOIN placement pl ON pl.bed_id = b.id AND pl.end_at IS NULL JOIN episode e ON e.id = pl.episode_id
             WHERE b.label >= ? AND b.label < ? ORDER BY b.label LIMIT ${n}`,
          )
          .all(tail, upper(tail)),
        'bed',
      );
    }
    if (/^[a-z]+$/.test(lower) || isTail) {
      for (const p of ctx.stmt<[], { id: number; name: string; id_card: string | null }>(`SELECT id, name, id_card FROM patient WHERE name_initials IS NULL LIMIT 1000`).all()) {
        const keys = patientSearchKeys(p.name, p.id_card);
        if (keys.name_initials.startsWith(lower)) add([p], 'initials');
        else if (isTail && keys.id_card_rev?.startsWith(reversed(tail))) add([p], 'idTail');
      }
    }
  }

  const tz = settingsOf(ctx).timeZone;
  const hit = ctx.stmt<[number], HitRow>(HIT_SQL);
  const results: PatientSearchHit[] = [];
  for (const [id, matchedBy] of found) {
    const r = hit.get(id);
    if (!r) continue;
    results.push({
      patientId: r.id,
      episodeId: r.episode_id,
      name: r.name,
      sex: r.sex,
      ageYears: currentAge(r, ctx.now, tz),
      idCardMasked: maskIdCard(r.id_card),
      status: r.status,
      admittedAt: r.admitted_at,
      bedLabel: r.label,
      wardName: r.ward_name,
      facilityName: r.facility_name,
      matchedBy,
    });
  }
  // Patients in hospital first; then by name in the index's order (what the user typed is a prefix of it).
  results.sort((a, b) => Number(b.status === 'active') - Number(a.status === 'active') || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.patientId - b.patientId));
  return { results: results.slice(0, limit), more: results.length > limit };
}
