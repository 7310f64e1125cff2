import { z } from 'zod';
import { PatientIdentitySchema } from '../api/patients';
import { toFieldIssues } from '../api/issues';
import { ADMISSION_SOURCES, type AdmissionSource, type Sex } from '../domain/enums';
import { birthDateFromIdCard, isValidIdCard } from '../domain/idcard';
import { ageOn, fromLocal, localDate } from '../domain/time';
import { AGE_MONTHS_BELOW } from '../domain/age';
import { LAB_LIMITS } from '../clinical/limits';
import type { FieldIssue } from '../errors';
import { MAX_FIELD_CHARS, type CsvRow } from './csv';

/**
 * Positive-case lists (阳性感染者名单) as district CDCs send them: one row per case. This file turns
 * a row into the admission's patient identity (validated by the same PatientIdentitySchema as the
 * admission form) plus the positive test that made the person a case.
 */
export const CASE_FIELDS = ['name', 'sex', 'ageYears', 'birthDate', 'idCard', 'phone', 'address', 'community', 'sampleDate', 'nCt', 'orf1abCt', 'source'] as const;
export type CaseField = (typeof CASE_FIELDS)[number];

/** Column index of each field in the file (0-based), or null when the file has no such column. */
export type CaseMapping = Record<CaseField, number | null>;

/** Header texts recognised for each field, compared without spaces, brackets or case, full-width letters as ASCII. */
const HEADER_SYNONYMS: Record<CaseField, readonly string[]> = {
  name: ['姓名', '患者姓名', '病例姓名', '名字', 'name', 'patientname', 'fullname'],
  sex: ['性别', 'sex', 'gender'],
  ageYears: ['年龄', '年龄岁', '年龄(岁)', 'age', 'ageyears'],
  birthDate: ['出生日期', '出生年月日', '出生年月', '生日', 'birthdate', 'dateofbirth', 'dob'],
  idCard: ['身份证号', '身份证号码', '身份证', '公民身份号码', '证件号码', '证件号', 'idcard', 'idnumber', 'idcardnumber'],
  phone: ['联系电话', '手机号', '手机号码', '电话', '电话号码', '联系方式', 'phone', 'mobile', 'telephone'],
  address: ['住址', '现住址', '居住地址', '详细地址', '家庭住址', '地址', 'address'],
  community: ['社区', '所属社区', '街道', '街道社区', '所属街道', '居委', '居委会', '村居', 'community'],
  sampleDate: ['采样日期', '采样时间', '采样日期时间', '检测日期', '报告日期', 'sampledate', 'sampletime', 'collected', 'collectedat'],
  nCt: ['n基因ct值', 'n基因ct', 'n基因', 'nct', 'ctn', 'ngene', 'ngenect'],
  orf1abCt: ['orf1ab基因ct值', 'orf1ab基因ct', 'orf1ab基因', 'orf1ab', 'orf1abct', 'ctorf1ab'],
  source: ['来源', '发现途径', '发现方式', '筛查方式', '病例来源', '人群分类', 'source'],
};

function normaliseHeader(h: string): string {
  return h
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-()（）[\]【】:：*]/g, '')
    .replace('值', '');
}

/** Maps each field to the first header that names it; fields without such a header stay unmapped. */
export function autoMap(header: readonly string[]): CaseMapping {
  const norm = header.map(normaliseHeader);
  const out = Object.fromEntries(CASE_FIELDS.map((f) => [f, null])) as CaseMapping;
  const taken = new Set<number>();
  for (const field of CASE_FIELDS) {
    const names = HEADER_SYNONYMS[field].map(normaliseHeader);
    const idx = norm.findIndex((h, i) => !taken.has(i) && names.includes(h));
    if (idx >= 0) {
      out[field] = idx;
      taken.add(idx);
    }
  }
  return out;
}

/** A saved preset maps fields to header texts, so it still fits when a source reorders its columns. */
export type CasePresetColumns = Partial<Record<CaseField, string>>;

export function mappingFromPreset(header: readonly string[], columns: CasePresetColumns): CaseMapping {
  const norm = header.map(normaliseHeader);
  const out = Object.fromEntries(CASE_FIELDS.map((f) => [f, null])) as CaseMapping;
  for (const field of CASE_FIELDS) {
    const h = columns[field];
    if (h === undefined) continue;
    const idx = norm.indexOf(normaliseHeader(h));
    out[field] = idx >= 0 ? idx : null;
  }
  return out;
}

export function presetFromMapping(header: readonly string[], mapping: CaseMapping): CasePresetColumns {
  const out: CasePresetColumns = {};
  for (const field of CASE_FIELDS) {
    const idx = mapping[field];
    const h = idx === null ? undefined : header[idx];
    if (h) out[field] = h;
  }
  return out;
}

/**
 * Excel's 1900 date system, which a date column formatted as "General" exports as a plain number
 * (44639 is 2022-03-19). Serial 1 is 1900-01-01, and Excel counts a 29 February 1900 that never was
 * (serial 60, kept from Lotus 1-2-3), so serials from 61 on are one day ahead of a plain day count
 * from 1899-12-31. A fraction is the time of day. Null for serial 60, below 1, or past 9999-12-31.
 */
export function excelSerialDate(serial: number): { date: string; time: string | null } | null {
  if (!Number.isFinite(serial) || serial < 1 || serial >= 2958466 || Math.floor(serial) === 60) return null;
  const days = Math.floor(serial);
  const seconds = Math.round((serial - days) * 86400);
  const ms = Date.UTC(1899, 11, days < 60 ? 31 : 30) + days * 86400000 + Math.min(seconds, 86399) * 1000;
  const iso = new Date(ms).toISOString();
  return { date: iso.slice(0, 10), time: seconds === 0 ? null : iso.slice(11, 19) };
}

/**
 * Serials read as dates in a date column: 1910-01-01 (3654) to 2099-12-31 (73050). Below, a number in a
 * date column is more likely a year (1900–2099), a count or a typing slip ("319" for 3/19) than a date
 * before 1910; above, a compact date (20220319) or another column's value. Either way it is refused
 * as an invalid date rather than read as a wrong one.
 */
export const EXCEL_SERIAL_RANGE = { min: 3654, max: 73050 } as const;

/**
 * Dates as Chinese spreadsheets write them: 2022-03-18, 2022/3/18, 2022.3.18, 20220318, 2022年3月18日,
 * with an optional time, or an Excel serial number (44639, 44639.375) within EXCEL_SERIAL_RANGE.
 * Full-width digits and punctuation ("２０２２－０３－１８") are read as ASCII (NFKC).
 */
export function normaliseDate(raw: string): { date: string; time: string | null } | null {
  const s = raw.normalize('NFKC').trim();
  if (/^\d{4,5}(?:\.\d+)?$/.test(s)) {
    const serial = Number(s);
    return serial >= EXCEL_SERIAL_RANGE.min && serial < EXCEL_SERIAL_RANGE.max + 1 ? excelSerialDate(serial) : null;
  }
  const m = /^(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (!m) return null;
  const month = (m[2] ?? m[4] ?? '').padStart(2, '0');
  const day = (m[3] ?? m[5] ?? '').padStart(2, '0');
  const time = m[6] ? `${m[6].padStart(2, '0')}:${m[7]}:${m[8] ?? '00'}` : null;
  return { date: `${m[1]}-${month}-${day}`, time };
}

const SEX_WORDS: Record<string, Sex> = { 男: 'M', m: 'M', male: 'M', '1': 'M', 女: 'F', f: 'F', female: 'F', '2': 'F' };

/** Free-text sources mapped onto the admission vocabulary; anything else is "other" (the text is kept as the result's note). */
const SOURCE_WORDS: readonly [RegExp, AdmissionSource][] = [
  [/密接|密切接触|次密|管控|隔离/, 'close_contact'],
  [/发热门诊|发热|门诊|就诊|主动就医/, 'fever_clinic'],
  [/转诊|转入|外院|转运|referr/i, 'referral'],
  [/筛查|社区|社会面|全员|核酸|抗原|screen/i, 'community_screening'],
];

export function sourceOf(text: string): AdmissionSource {
  const exact = (ADMISSION_SOURCES as readonly string[]).includes(text) ? (text as AdmissionSource) : null;
  if (exact) return exact;
  for (const [re, source] of SOURCE_WORDS) if (re.test(text)) return source;
  return 'other';
}

const IsoDate = z.iso.date();

/** Lists carry few distinct sample dates: their instants are computed once. */
const sampleInstants = new Map<string, string>();
function sampleInstant(wall: string, tz: string): string {
  const key = `${tz}|${wall}`;
  let at = sampleInstants.get(key);
  if (at === undefined) {
    at = fromLocal(wall, tz);
    if (sampleInstants.size > 4096) sampleInstants.clear();
    sampleInstants.set(key, at);
  }
  return at;
}

/** No sample of SARS-CoV-2 can predate the first reported cases (December 2019). */
export const EARLIEST_SAMPLE_DATE = '2019-12-01';
/** Lists round ages at the sample date or the report date: one year of difference from the birth date is tolerated. */
const AGE_TOLERANCE_YEARS = 1;

export type ParsedIdentity = z.output<typeof PatientIdentitySchema>;

export interface CaseRecord {
  patient: ParsedIdentity & { birthDate: string | null };
  /** Collection instant of the positive test (local noon when the list gives only a date), or null. */
  sampledAt: string | null;
  nCt: number | null;
  orf1abCt: number | null;
  source: AdmissionSource;
  sourceText: string | null;
}

/** What identifies a person across lists: the ID-card number, or name + birth date + phone. */
export interface DuplicateKeys {
  idCard: string | null;
  nbp: string | null;
}

export interface CaseRowResult {
  line: number;
  record: CaseRecord | null;
  issues: FieldIssue[];
  keys: DuplicateKeys;
}

/**
 * Free text kept as written: Chinese writes its punctuation full-width ("（", "，", the ideographic space),
 * and NFKC would rewrite a name's or an address's text. Every other field is a value to parse, read
 * with full-width digits and letters as ASCII ("３２" is 32, "ｘ" ends an ID card as "X").
 */
const FREE_TEXT: ReadonlySet<CaseField> = new Set(['name', 'address', 'community', 'source']);

/** NFKC leaves ASCII alone: skip the call for the plain cells that make up nearly every list. */
const NON_ASCII = /[^\x00-\x7f]/;

const cell = (row: CsvRow, mapping: CaseMapping, f: CaseField): string => {
  const idx = mapping[f];
  const raw = idx === null ? '' : (row.cells[idx] ?? '');
  return (FREE_TEXT.has(f) || !NON_ASCII.test(raw) ? raw : raw.normalize('NFKC')).trim();
};

export function duplicateKeys(name: string, birthDate: string | null, phone: string | null, idCard: string | null): DuplicateKeys {
  const n = name.replace(/\s+/g, '');
  const p = phone ? phone.replace(/[\s-]/g, '').replace(/^\+?86(?=1\d{10}$)/, '') : null;
  return { idCard: idCard ? idCard.toUpperCase() : null, nbp: n && birthDate && p ? `${n}|${birthDate}|${p}` : null };
}

function parseCt(raw: string, field: 'nCt' | 'orf1abCt', issues: FieldIssue[]): number | null {
  if (raw === '') return null;
  const v = Number(raw);
  const limit = field === 'nCt' ? LAB_LIMITS.ctN : LAB_LIMITS.ctOrf1ab;
  if (!Number.isFinite(v)) issues.push({ field, key: 'validation.number' });
  else if (v < limit.min) issues.push({ field, key: 'validation.too_small', params: { min: limit.min } });
  else if (v > limit.max) issues.push({ field, key: 'validation.too_big', params: { max: limit.max } });
  else return v;
  return null;
}

const AGE_YEARS_RE = /^(\d{1,3})\s*(?:岁|周岁|y|yr|yrs|years?)?$/i;
const AGE_MONTHS_RE = /^(\d{1,3})\s*(?:个月|个月大|月龄|月|m|mo|mos|months?)$/i;
const AGE_YEARS_MONTHS_RE = /^(\d{1,2})\s*(?:岁|周岁|y|yr|yrs|years?)\s*(?:零|又|and)?\s*(\d{1,2})\s*(?:个月|月|m|mo|mos|months?)$/i;

/**
 * An age cell of a case list: a plain number or "45岁" is in years; "3月龄", "8个月", "3 months",
 * "3m" in months; "1岁3个月", "1y3m" in years and months (full-width digits and letters are read as
 * ASCII, NFKC). An age of 72 months or more is kept in completed years (months are kept below 6
 * years, shared/domain/age.ts). Null when the cell is none of these.
 */
export function readAgeCell(raw: string): { years: number | null; months: number | null } | null {
  const text = raw.normalize('NFKC').trim();
  const inMonths = (months: number) => (months < AGE_MONTHS_BELOW ? { years: null, months } : { years: Math.floor(months / 12), months: null });
  const y = AGE_YEARS_RE.exec(text);
  if (y) return { years: Number(y[1]), months: null };
  const m = AGE_MONTHS_RE.exec(text);
  if (m) return inMonths(Number(m[1]));
  const ym = AGE_YEARS_MONTHS_RE.exec(text);
  if (ym && Number(ym[2]) < 12) return inMonths(Number(ym[1]) * 12 + Number(ym[2]));
  return null;
}

/**
 * Reads and validates one row against the admission rules. `now` and `tz` decide what "in the
 * future" and "today" mean; `admittedAt` is when the imported patients are admitted.
 */
export function readCaseRow(row: CsvRow, mapping: CaseMapping, opts: { now: string; tz: string; admittedAt: string }): CaseRowResult {
  const issues: FieldIssue[] = [];
  for (const col of row.oversized) {
    const field = CASE_FIELDS.find((f) => mapping[f] === col);
    if (field) issues.push({ field, key: 'import.field_too_long', params: { max: MAX_FIELD_CHARS } });
  }
  const today = localDate(opts.now, opts.tz);
  const name = cell(row, mapping, 'name');
  const idCard = cell(row, mapping, 'idCard').replace(/\s+/g, '').toUpperCase();
  const idValid = isValidIdCard(idCard);

  const sexRaw = cell(row, mapping, 'sex');
  let sex: Sex | null = sexRaw === '' ? null : (SEX_WORDS[sexRaw.toLowerCase()] ?? null);
  const sexFromCard: Sex | null = idValid ? (Number(idCard.charAt(16)) % 2 === 1 ? 'M' : 'F') : null;
  if (sexRaw !== '' && sex === null) issues.push({ field: 'sex', key: 'validation.invalid_option' });
  else if (sex && sexFromCard && sex !== sexFromCard) issues.push({ field: 'sex', key: 'import.sex_mismatch' });
  sex ??= sexFromCard;
  if (sex === null && sexRaw === '') issues.push({ field: 'sex', key: 'validation.required' });

  const birthRaw = cell(row, mapping, 'birthDate');
  const birth = birthRaw === '' ? null : normaliseDate(birthRaw);
  const birthDate = birthRaw === '' ? null : (birth?.date ?? birthRaw);

  const ageRaw = cell(row, mapping, 'ageYears');
  const age = ageRaw === '' ? { years: null, months: null } : readAgeCell(ageRaw);
  if (age === null) issues.push({ field: 'ageYears', key: 'import.age_format' });
  const ageYears = age?.years ?? null;
  const ageMonths = age?.months ?? null;
  const ageInYears = ageYears ?? (ageMonths === null ? null : Math.floor(ageMonths / 12));

  const phone = cell(row, mapping, 'phone').replace(/\s+/g, '');
  const identity = {
    name,
    sex: sex ?? '',
    birthDate,
    ageYears: birthDate === null && ageMonths === null ? ageYears : null,
    ageMonths: birthDate === null ? ageMonths : null,
    idCard,
    phone,
    address: cell(row, mapping, 'address'),
    community: cell(row, mapping, 'community'),
    riskFactors: [],
  };
  const parsed = PatientIdentitySchema.safeParse(identity);
  if (!parsed.success) for (const i of toFieldIssues(parsed.error.issues)) if (!issues.some((x) => x.field === i.field)) issues.push(i);

  // The same cross-field rules as an admission (electron/core/patients/handlers.ts admit).
  const fromCard = idValid ? birthDateFromIdCard(idCard) : null;
  const okBirth = parsed.success ? (parsed.data.birthDate ?? null) : null;
  if (okBirth && fromCard && okBirth !== fromCard) issues.push({ field: 'birthDate', key: 'validation.birth_date_mismatch', params: { idCardDate: fromCard } });
  const effectiveBirth = okBirth ?? fromCard;
  if (effectiveBirth && effectiveBirth > today) issues.push({ field: 'birthDate', key: 'validation.future' });
  else if (effectiveBirth && effectiveBirth > localDate(opts.admittedAt, opts.tz)) issues.push({ field: 'birthDate', key: 'validation.before_birth' });
  if (effectiveBirth && ageInYears !== null && effectiveBirth <= today && Math.abs(ageOn(effectiveBirth, opts.now, opts.tz) - ageInYears) > AGE_TOLERANCE_YEARS) {
    issues.push({ field: 'ageYears', key: 'import.age_mismatch', params: { age: ageOn(effectiveBirth, opts.now, opts.tz) } });
  }

  let sampledAt: string | null = null;
  const sampleRaw = cell(row, mapping, 'sampleDate');
  if (sampleRaw !== '') {
    const d = normaliseDate(sampleRaw);
    if (!d || !IsoDate.safeParse(d.date).success || (d.time !== null && !/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/.test(d.time))) {
      issues.push({ field: 'sampleDate', key: 'validation.invalid_date' });
    } else if (d.date > today) {
      issues.push({ field: 'sampleDate', key: 'validation.future' });
    } else if (d.date < EARLIEST_SAMPLE_DATE) {
      issues.push({ field: 'sampleDate', key: 'import.sample_too_old', params: { date: EARLIEST_SAMPLE_DATE } });
    } else if (effectiveBirth && d.date < effectiveBirth) {
      issues.push({ field: 'sampleDate', key: 'validation.before_birth' });
    } else {
      // A date without a time is taken as local noon; never later than now (a sample taken this morning).
      const at = sampleInstant(`${d.date}T${d.time ?? '12:00:00'}`, opts.tz);
      if (d.time !== null && at > opts.now) issues.push({ field: 'sampleDate', key: 'validation.future' });
      else sampledAt = at > opts.now ? opts.now : at;
    }
  }
  const nCt = parseCt(cell(row, mapping, 'nCt'), 'nCt', issues);
  const orf1abCt = parseCt(cell(row, mapping, 'orf1abCt'), 'orf1abCt', issues);
  if ((nCt !== null || orf1abCt !== null) && sampleRaw === '') issues.push({ field: 'sampleDate', key: 'import.ct_needs_sample_date' });

  const sourceText = cell(row, mapping, 'source') || null;
  const keys = duplicateKeys(name, effectiveBirth, parsed.success ? (parsed.data.phone ?? null) : phone || null, idValid ? idCard : null);
  if (issues.length > 0 || !parsed.success) return { line: row.line, record: null, issues, keys };
  return {
    line: row.line,
    record: {
      patient: {
        ...parsed.data,
        birthDate: effectiveBirth,
        // An age in months keeps its completed years beside it, as the patient row stores them (migration 15).
        ageYears: effectiveBirth ? null : (parsed.data.ageYears ?? (ageMonths === null ? null : Math.floor(ageMonths / 12))),
        ageMonths: effectiveBirth ? null : (parsed.data.ageMonths ?? null),
      },
      sampledAt,
      nCt,
      orf1abCt,
      source: sourceText ? sourceOf(sourceText) : 'other',
      sourceText,
    },
    issues,
    keys,
  };
}

/** Later rows that repeat an earlier row's ID card, or its name + birth date + phone: line → the earlier line. */
export function fileDuplicates(rows: readonly { line: number; keys: DuplicateKeys }[]): Map<number, number> {
  const byId = new Map<string, number>();
  const byNbp = new Map<string, number>();
  const out = new Map<number, number>();
  for (const r of rows) {
    const first = (r.keys.idCard ? byId.get(r.keys.idCard) : undefined) ?? (r.keys.nbp ? byNbp.get(r.keys.nbp) : undefined);
    if (first !== undefined) {
      out.set(r.line, first);
      continue;
    }
    if (r.keys.idCard) byId.set(r.keys.idCard, r.line);
    if (r.keys.nbp) byNbp.set(r.keys.nbp, r.line);
  }
  return out;
}
