import { pinyin } from 'pinyin-pro';
import { describe, expect, it } from 'vitest';
import {
  DRUG_CLASSES,
  INTERACTION_SEVERITIES,
  INTERACTION_TABLE_VERSION,
  LABEL_CONTRAINDICATED,
  MEDICINES,
  NMV_R_INTERACTIONS,
  checkInteractions,
  matchMedicine,
  normaliseMedicineText,
  searchMedicines,
  splitMedicationText,
} from '../../../shared/clinical';

const medicine = (code: string) => {
  const m = MEDICINES.find((x) => x.code === code);
  if (!m) throw new Error(`not in the lexicon: ${code}`);
  return m;
};
const row = (code: string) => NMV_R_INTERACTIONS.find((r) => r.medicine === code);

describe('nirmatrelvir/ritonavir interaction table', () => {
  it('holds every contraindicated medicine of the cited label §4, found by its Chinese and its English name', () => {
    expect(LABEL_CONTRAINDICATED.length).toBeGreaterThanOrEqual(40);
    for (const code of LABEL_CONTRAINDICATED) {
      const r = row(code);
      expect(r?.severity, code).toBe('contraindicated');
      expect(r?.source.section, code).toBe('4 CONTRAINDICATIONS');
      const m = medicine(code);
      for (const name of [m.zh, m.en]) {
        expect(matchMedicine(name)?.code, `${code}: ${name}`).toBe(code);
        expect(
          searchMedicines(name).map((x) => x.code),
          `${code}: ${name}`,
        ).toContain(code);
        expect(searchMedicines(name)[0]?.code, `${code}: ${name} first`).toBe(code);
      }
    }
  });

  it('has one row per medicine, each a lexicon medicine, with a full source and advice in both languages', () => {
    expect(new Set(NMV_R_INTERACTIONS.map((r) => r.medicine)).size).toBe(NMV_R_INTERACTIONS.length);
    for (const r of NMV_R_INTERACTIONS) {
      expect(() => medicine(r.medicine)).not.toThrow();
      expect(INTERACTION_SEVERITIES).toContain(r.severity);
      expect(r.source.document.trim(), r.medicine).not.toBe('');
      expect(r.source.edition.trim(), r.medicine).not.toBe('');
      expect(r.source.section.trim(), r.medicine).not.toBe('');
      expect(r.advice.zh.trim(), r.medicine).not.toBe('');
      expect(r.advice.en.trim(), r.medicine).not.toBe('');
      expect(/\p{Script=Han}/u.test(r.advice.zh), r.medicine).toBe(true);
      expect(/\p{Script=Han}/u.test(r.advice.en), r.medicine).toBe(false);
    }
  });

  it('names pethidine and ranolazine as the protocol v9 does', () => {
    expect(row('pethidine')?.severity).toBe('contraindicated');
    expect(row('pethidine')?.source.document).toContain('试行第九版');
    expect(row('ranolazine')?.severity).toBe('contraindicated');
  });

  it('a patient on simvastatin and amlodipine: simvastatin contraindicated, amlodipine to adjust or monitor', () => {
    const check = checkInteractions([
      { code: 'amlodipine', text: '氨氯地平' },
      { code: 'simvastatin', text: '辛伐他汀' },
    ]);
    expect(check.tableVersion).toBe(INTERACTION_TABLE_VERSION);
    expect(check.clashes.map((c) => [c.medicine, c.severity])).toEqual([
      ['simvastatin', 'contraindicated'],
      ['amlodipine', 'adjust_or_hold'],
    ]);
    expect(['adjust_or_hold', 'monitor']).toContain(row('amlodipine')?.severity);
  });

  it('reads free text with a dose, form and frequency', () => {
    const check = checkInteractions([
      { code: null, text: '辛伐他汀片 20mg qn' },
      { code: null, text: 'Simvastatin 20 mg' },
    ]);
    expect(check.clashes.map((c) => [c.medicine, c.entered])).toEqual([
      ['simvastatin', '辛伐他汀片 20mg qn'],
      ['simvastatin', 'Simvastatin 20 mg'],
    ]);
  });

  it('gives no clash for medicines that do not interact, or that the lexicon does not know', () => {
    const check = checkInteractions([
      { code: 'metformin', text: '二甲双胍' },
      { code: null, text: '缬沙坦 80mg qd' },
      { code: 'pravastatin', text: '普伐他汀' },
      { code: null, text: '某某胶囊 2粒 tid' },
    ]);
    expect(check.clashes).toEqual([]);
  });

  it('orders clashes by severity, entry order within a severity', () => {
    const check = checkInteractions([
      { code: 'warfarin', text: '华法林' },
      { code: 'tacrolimus', text: '他克莫司' },
      { code: 'digoxin', text: '地高辛' },
      { code: 'amiodarone', text: '胺碘酮' },
      { code: 'rivaroxaban', text: '利伐沙班' },
      { code: 'carbamazepine', text: '卡马西平' },
    ]);
    expect(check.clashes.map((c) => c.medicine)).toEqual(['amiodarone', 'carbamazepine', 'tacrolimus', 'rivaroxaban', 'warfarin', 'digoxin']);
    expect(check.clashes[0]).toMatchObject({ entered: '胺碘酮', severity: 'contraindicated' });
    expect(check.clashes[0]?.advice.zh).toBeTruthy();
    expect(check.clashes[0]?.source.section).toBe('4 CONTRAINDICATIONS');
  });

  it('rates the statins as the label does: simvastatin and lovastatin contraindicated, atorvastatin and rosuvastatin to pause, pravastatin no clash', () => {
    expect(['simvastatin', 'lovastatin', 'atorvastatin', 'rosuvastatin', 'pravastatin'].map((c) => row(c)?.severity ?? null)).toEqual([
      'contraindicated',
      'contraindicated',
      'adjust_or_hold',
      'adjust_or_hold',
      null,
    ]);
  });
});

describe('medicine lexicon', () => {
  it('has unique codes, known classes and lower-case pinyin initials', () => {
    expect(new Set(MEDICINES.map((m) => m.code)).size).toBe(MEDICINES.length);
    for (const m of MEDICINES) {
      expect(m.code).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(DRUG_CLASSES).toContain(m.drugClass);
      expect(m.pinyin).toMatch(/^[a-z]+$/);
    }
  });

  it('holds the common chronic medicines that do not clash', () => {
    for (const code of [
      'metformin',
      'insulin',
      'losartan',
      'valsartan',
      'enalapril',
      'metoprolol',
      'hydrochlorothiazide',
      'levothyroxine',
      'omeprazole',
      'pravastatin',
      'aspirin',
    ]) {
      expect(row(code), code).toBeUndefined();
      expect(() => medicine(code)).not.toThrow();
    }
  });

  it.each([
    ['辛伐他汀', 'xftt'],
    ['阿托伐他汀', 'atftt'],
    ['瑞舒伐他汀', 'rsftt'],
    ['氨氯地平', 'aldp'],
    ['硝苯地平', 'xbdp'],
    ['氯吡格雷', 'lbgl'],
    ['华法林', 'hfl'],
    ['胺碘酮', 'adt'],
    ['雷诺嗪', 'lnq'],
    ['哌替啶', 'ptd'],
    ['二甲双胍', 'ejsg'],
    ['左甲状腺素', 'zjzxs'],
    ['地尔硫䓬', 'delz'],
    ['他克莫司', 'tkms'],
    ['氢氯噻嗪', 'qlsq'],
  ])('%s has the pinyin initials %s', (zh, initials) => {
    expect(MEDICINES.find((m) => m.zh === zh)?.pinyin).toBe(initials);
  });

  it('agrees with pinyin-pro on every medicine’s initials', () => {
    const disagree = MEDICINES.filter((m) => (pinyin(m.zh, { pattern: 'first', toneType: 'none', type: 'array' }) as string[]).join('').toLowerCase() !== m.pinyin);
    expect(disagree.map((m) => `${m.zh} ${m.pinyin}`)).toEqual([]);
  });

  it('normalises full-width text, case and spaces', () => {
    expect(normaliseMedicineText('  ＳＩＭＶＡＳＴＡＴＩＮ　 ２０ｍｇ ')).toBe('simvastatin 20mg');
  });

  it('searches by Chinese substring, English or brand prefix, and pinyin initials, exact matches first', () => {
    expect(searchMedicines('')).toEqual([]);
    expect(searchMedicines('   ')).toEqual([]);
    expect(searchMedicines('伐他汀').map((m) => m.code)).toEqual(['simvastatin', 'lovastatin', 'atorvastatin', 'rosuvastatin', 'pravastatin']);
    expect(searchMedicines('Simva')[0]?.code).toBe('simvastatin');
    expect(searchMedicines('zocor')[0]?.code).toBe('simvastatin');
    expect(searchMedicines('舒降之')[0]?.code).toBe('simvastatin');
    expect(searchMedicines('xftt')[0]?.code).toBe('simvastatin');
    expect(searchMedicines('aldp')[0]?.code).toBe('amlodipine');
    expect(searchMedicines('ald').map((m) => m.code)).toContain('amlodipine');
    expect(searchMedicines('statin').map((m) => m.code)).toEqual(expect.arrayContaining(['simvastatin', 'pravastatin']));
    expect(searchMedicines('a', 3)).toHaveLength(3);
    // An exact name outranks names that merely begin with the query.
    expect(searchMedicines('麦角胺')[0]?.code).toBe('ergotamine');
  });

  it.each([
    ['辛伐他汀片 20mg', 'simvastatin'],
    ['simvastatin 20 mg qn', 'simvastatin'],
    ['氨氯地平片', 'amlodipine'],
    ['苯磺酸氨氯地平片 5mg qd', 'amlodipine'],
    ['阿托伐他汀钙片 20mg', 'atorvastatin'],
    ['盐酸胺碘酮片 0.2g qd', 'amiodarone'],
    ['双氢麦角胺', 'dihydroergotamine'],
    ['安定 5mg qn', 'diazepam'],
    ['Oral midazolam 7.5 mg', 'midazolam'],
    ["St John's wort extract", 'st_johns_wort'],
    ['Zocor', 'simvastatin'],
    ['ＳＩＭＶＡＳＴＡＴＩＮ', 'simvastatin'],
  ])('matches %s to %s', (text, code) => {
    expect(matchMedicine(text)?.code).toBe(code);
  });

  it.each(['', '某某胶囊', 'vitamin C', '可定期复查', '40mg qd'])('matches nothing in %j', (text) => {
    expect(matchMedicine(text)).toBeNull();
  });

  it('splits a legacy free-text list into entries, each matched where it can be', () => {
    const entries = splitMedicationText('辛伐他汀20mg qn，氨氯地平5mg qd; 阿司匹林\n二甲双胍 0.5g tid、某某胶囊；/ Warfarin 3 mg,,');
    expect(entries.map((e) => [e.text, e.medicine?.code ?? null])).toEqual([
      ['辛伐他汀20mg qn', 'simvastatin'],
      ['氨氯地平5mg qd', 'amlodipine'],
      ['阿司匹林', 'aspirin'],
      ['二甲双胍 0.5g tid', 'metformin'],
      ['某某胶囊', null],
      ['Warfarin 3 mg', 'warfarin'],
    ]);
    expect(splitMedicationText('  ，；\n ')).toEqual([]);
  });
});
