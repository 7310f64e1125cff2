import { Rng } from '../../electron/core/demo/random';
import { syntheticCommunity, syntheticIdCard, syntheticName, syntheticPhone } from '../../electron/core/demo/names';
import { autoMap } from '../../shared/import/cases';
import { parseCsv } from '../../shared/import/csv';

export const CASE_LIST_HEADER = ['姓名', '性别', '年龄', '身份证号', '联系电话', '现住址', '所属社区', '采样日期', 'N基因Ct值', 'ORF1ab基因Ct值', '来源'];

/**
 * A district CDC's positive-case list of `n` synthetic people (valid ID cards, unique), deterministic
 * from the seed, as CSV text with CRLF line ends. `serialBase` keeps two lists' ID cards apart.
 */
export function syntheticCaseList(n: number, seed = 8, opts: { serialBase?: number; sampleDate?: string } = {}): string {
  const rng = new Rng(seed);
  const used = new Set<string>();
  const lines = [CASE_LIST_HEADER.join(',')];
  const sources = ['社区筛查', '社区筛查', '密接', '发热门诊', '外院转入'];
  for (let i = 0; i < n; i++) {
    const sex = rng.chance(0.52) ? 'M' : 'F';
    const age = Math.max(1, Math.min(96, Math.round(rng.normal(44, 19))));
    const birth = `${2021 - age}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
    let id = syntheticIdCard(rng, birth, sex, (opts.serialBase ?? 0) + i);
    while (used.has(id)) id = syntheticIdCard(rng, birth, sex, (opts.serialBase ?? 0) + i + rng.int(1, 99));
    used.add(id);
    lines.push(
      [
        syntheticName(rng),
        sex === 'M' ? '男' : '女',
        '',
        id,
        syntheticPhone(rng),
        `"${syntheticCommunity(rng)}${rng.int(1, 300)}号,${rng.int(1, 30)}室"`,
        syntheticCommunity(rng),
        opts.sampleDate ?? '2022-03-18',
        (18 + rng.next() * 14).toFixed(1),
        (18 + rng.next() * 14).toFixed(1),
        rng.pick(sources),
      ].join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The import:commit input that imports a whole synthetic case list (every row, columns as autoMap maps them) into `wardId`. */
export function caseListImport(n: number, seed: number, wardId: number, admittedAt: string) {
  const [header, ...rows] = parseCsv(syntheticCaseList(n, seed)).rows;
  return { fileName: 'list.csv', encoding: 'utf-8', header: header!.cells, mapping: autoMap(header!.cells), rows, selected: rows.map((r) => r.line), wardId, admittedAt };
}
