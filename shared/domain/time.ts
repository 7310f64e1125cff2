/**
 * Time helpers. Instants are UTC ISO strings; the hospital's calendar day is taken in its IANA
 * time zone (default Asia/Shanghai). Pure JS (Intl), so the core and the renderer agree.
 */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const dateFormatters = new Map<string, Intl.DateTimeFormat>();
function dateFormatter(tz: string): Intl.DateTimeFormat {
  let f = dateFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    dateFormatters.set(tz, f);
  }
  return f;
}

// formatToParts costs microseconds; the same few instants (now, a batch's admission time) are asked
// for again and again when thousands of rows are checked or snapshots computed (issue 8's bench).
const partsCache = new Map<string, Record<string, string>>();
const PARTS_CACHE_MAX = 512;

function parts(instant: string | number | Date, tz: string): Record<string, string> {
  const ms = new Date(instant).getTime();
  const key = `${tz}|${ms}`;
  const hit = partsCache.get(key);
  if (hit) return hit;
  const out: Record<string, string> = {};
  for (const p of dateFormatter(tz).formatToParts(new Date(ms))) out[p.type] = p.value;
  if (partsCache.size >= PARTS_CACHE_MAX) partsCache.clear();
  partsCache.set(key, out);
  return out;
}

/** `YYYY-MM-DD` of the instant in the hospital's time zone. */
export function localDate(instant: string | number | Date, tz: string = DEFAULT_TIME_ZONE): string {
  const p = parts(instant, tz);
  return `${p.year}-${p.month}-${p.day}`;
}

/** `YYYY-MM-DD HH:mm` in the hospital's time zone, the format every screen uses. */
export function formatLocal(instant: string | number | Date, tz: string = DEFAULT_TIME_ZONE): string {
  const p = parts(instant, tz);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** Value for an `<input type="datetime-local">` in the hospital's time zone. */
export function toLocalInput(instant: string | number | Date, tz: string = DEFAULT_TIME_ZONE): string {
  const p = parts(instant, tz);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** Offset of `tz` from UTC at the given instant, in minutes. */
function offsetMinutes(instantMs: number, tz: string): number {
  const p = parts(instantMs, tz);
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return Math.round((asUtc - Math.floor(instantMs / 1000) * 1000) / 60000);
}

/** The UTC instant of a wall-clock time (`YYYY-MM-DDTHH:mm[:ss]`) in `tz`. */
export function fromLocal(wall: string, tz: string = DEFAULT_TIME_ZONE): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(wall);
  if (!m) throw new RangeError(`not a local date-time: ${wall}`);
  const guess = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
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

/** Hospital day of stay: the admission day is day 1. */
export function dayOfStay(admittedAt: string, now: string, tz: string = DEFAULT_TIME_ZONE): number {
  return daysBetween(localDate(admittedAt, tz), localDate(now, tz)) + 1;
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
