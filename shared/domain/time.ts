/**
 * Time helpers. Instants are UTC ISO strings; the hospital's calendar day is taken in its IANA
 * time zone (default Asia/Shanghai). Pure JS (Intl), so the core and the renderer agree.
 */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const dateFormatters = new Map<string, Intl.DateTimeFormat>();
function dateFormatter(tz: string): Intl.DateTimeFormat {
  let f = dateFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      era: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    dateFormatters.set(tz, f);
  }
  return f;
}

// formatToParts costs microseconds; the same few instants (now, a batch's admission time) are asked
// for again and again when thousands of rows are checked or snapshots computed (issue 8's bench).
const partsCache = new Map<string, Record<string, string>>();
const PARTS_CACHE_MAX = 512;

/**
 * A year as ISO 8601 writes it, so dates still sort as text and parse back with Date.parse: four
 * digits for 0–9999 (`0999`), otherwise a sign and six digits (`-000005`). Years outside 2000–2099
 * cannot enter through the contract (shared/api/fields.ts) but may sit in an old or hand-edited file.
 */
export function isoYear(year: number): string {
  if (year >= 0 && year <= 9999) return String(year).padStart(4, '0');
  return `${year < 0 ? '-' : '+'}${String(Math.abs(year)).padStart(6, '0')}`;
}

/** Date.UTC without its two-digit-year rule (Date.UTC(99, …) is 1999). */
function utcMs(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  const t = new Date(Date.UTC(2000, mo, d, h, mi, s));
  t.setUTCFullYear(y, mo, d);
  return t.getTime();
}

function parts(instant: string | number | Date, tz: string): Record<string, string> {
  const ms = new Date(instant).getTime();
  const key = `${tz}|${ms}`;
  const hit = partsCache.get(key);
  if (hit) return hit;
  const out: Record<string, string> = {};
  for (const p of dateFormatter(tz).formatToParts(new Date(ms))) out[p.type] = p.value;
  // Intl writes the year unpadded and by era (year 999 as "999", 5 BC as "5"): rewrite it as ISO 8601 does.
  out.year = isoYear(out.era === 'BC' ? 1 - Number(out.year) : Number(out.year));
  if (partsCache.size >= PARTS_CACHE_MAX) partsCache.clear();
  partsCache.set(key, out);
  return out;
}

// localDate runs once or twice per row of a list or a statistic (length of stay over thousands of
// discharges), where formatToParts for every instant costs ~15 µs. The zone's offset is read once per
// 15-minute slot of UTC instead: offsets and their changes fall on quarter hours, and a slot whose two
// ends disagree (a change inside it, as in some zones' local mean time before 1900) is read exactly.
const SLOT_MS = 15 * 60_000;
const slotOffsets = new Map<string, Map<number, number | null>>();
const SLOT_CACHE_MAX = 65_536;

function offsetAt(ms: number, tz: string): number {
  const p = parts(ms, tz);
  return utcMs(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) - Math.floor(ms / 1000) * 1000;
}

function slotOffset(ms: number, tz: string): number | null {
  const slot = Math.floor(ms / SLOT_MS);
  let zone = slotOffsets.get(tz);
  if (!zone) slotOffsets.set(tz, (zone = new Map()));
  const hit = zone.get(slot);
  if (hit !== undefined) return hit;
  const a = offsetAt(slot * SLOT_MS, tz);
  const off = a === offsetAt((slot + 1) * SLOT_MS - 1000, tz) ? a : null;
  if (zone.size >= SLOT_CACHE_MAX) zone.clear();
  zone.set(slot, off);
  return off;
}

/** `YYYY-MM-DD` of the instant in the hospital's time zone. */
export function localDate(instant: string | number | Date, tz: string = DEFAULT_TIME_ZONE): string {
  const ms = new Date(instant).getTime();
  const off = Number.isFinite(ms) ? slotOffset(ms, tz) : null;
  if (off === null) {
    const p = parts(instant, tz);
    return `${p.year}-${p.month}-${p.day}`;
  }
  const wall = new Date(ms + off);
  return `${isoYear(wall.getUTCFullYear())}-${String(wall.getUTCMonth() + 1).padStart(2, '0')}-${String(wall.getUTCDate()).padStart(2, '0')}`;
}

/** `YYYY-MM-DD HH:mm` in the hospital's time zone, the format every screen uses. */
export function formatLocal(instant: string | number | Date, tz: string = DEFAULT_TIME_ZONE): string {
  const p = parts(instant, tz);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** `YYYYMMDD-HHmmss` in the hospital's time zone: file names that read as the clock on the wall. */
export function localStamp(instant: string | number | Date, tz: string = DEFAULT_TIME_ZONE): string {
  const p = parts(instant, tz);
  return `${p.year}${p.month}${p.day}-${p.hour}${p.minute}${p.second}`;
}

/** Value for an `<input type="datetime-local">` in the hospital's time zone. */
export function toLocalInput(instant: string | number | Date, tz: string = DEFAULT_TIME_ZONE): string {
  const p = parts(instant, tz);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/**
 * Offset of `tz` from UTC at the given instant, in minutes. From the 15-minute slot cache when the slot
 * has one offset (the same value offsetAt gives at any instant of it): fromLocal runs per admission and
 * per discharge round when the demo network is built (issue 17), and formatToParts is its whole cost.
 */
function offsetMinutes(instantMs: number, tz: string): number {
  const slot = Number.isFinite(instantMs) ? slotOffset(instantMs, tz) : null;
  if (slot !== null) return Math.round(slot / 60000);
  const p = parts(instantMs, tz);
  const asUtc = utcMs(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return Math.round((asUtc - Math.floor(instantMs / 1000) * 1000) / 60000);
}

/** The UTC instant of a wall-clock time (`YYYY-MM-DDTHH:mm[:ss]`) in `tz`. */
export function fromLocal(wall: string, tz: string = DEFAULT_TIME_ZONE): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(wall);
  if (!m) throw new RangeError(`not a local date-time: ${wall}`);
  const guess = utcMs(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  let t = guess - offsetMinutes(guess, tz) * 60000;
  t = guess - offsetMinutes(t, tz) * 60000;
  return new Date(t).toISOString();
}

/** Start of the local day `date` (YYYY-MM-DD) as a UTC instant. */
export function startOfLocalDay(date: string, tz: string = DEFAULT_TIME_ZONE): string {
  return fromLocal(`${date}T00:00:00`, tz);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Calendar days between two local dates (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000);
}

/**
 * How long a patient has been in hospital, defined once for every screen and report (issue 13 item 9).
 * Both count calendar days in the hospital's time zone, from the local date of admission; the time of
 * day never matters (admitted 03-01 23:50 and discharged 03-11 00:10 is a 10-day stay, as is
 * 03-01 08:00 to 03-11 20:00).
 *
 * - `dayOfStay` (住院第 N 天) is the day a patient is on: the admission day is day 1, so on the
 *   admission date + 19 days it is day 20. Used while the patient is in hospital (board, chart, queue).
 * - `lengthOfStayDays` (住院天数) is the stay's length, as on the Chinese discharge summary and in
 *   the 平均住院日 statistics: discharge date − admission date, a same-day stay counting 1. For a
 *   patient still in hospital it is the length if discharged at `end` (the discharge list).
 *
 * So on the day a patient leaves, dayOfStay is lengthOfStayDays + 1 (except for a same-day stay):
 * screens that talk about the length of a stay show lengthOfStayDays, never dayOfStay.
 * An `end` before the admission (which the core refuses) counts as the admission day.
 */
export function dayOfStay(admittedAt: string, at: string, tz: string = DEFAULT_TIME_ZONE): number {
  return Math.max(0, daysBetween(localDate(admittedAt, tz), localDate(at, tz))) + 1;
}

/** Length of stay in days (住院天数): see dayOfStay for the convention. */
export function lengthOfStayDays(admittedAt: string, end: string, tz: string = DEFAULT_TIME_ZONE): number {
  return Math.max(1, daysBetween(localDate(admittedAt, tz), localDate(end, tz)));
}

/** Completed years of age on the local date of `at`. */
export function ageOn(birthDate: string, at: string, tz: string = DEFAULT_TIME_ZONE): number {
  const today = localDate(at, tz);
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  let age = ty - by;
  if (tm < bm || (tm === bm && td < bd)) age -= 1;
  return age;
}
