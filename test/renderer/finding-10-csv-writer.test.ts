import { describe, expect, it } from 'vitest';
import type { ImportReport } from '../../shared/api/import';
import { parseCsv } from '../../shared/import/csv';
import { autoMap } from '../../shared/import/cases';
import { translate } from '../../shared/i18n';
import { csvCell } from '../../shared/csv';
import { reportCsv } from '../../renderer/src/screens/Import/reportCsv';
import { makeNetwork, NOW } from '../support/core';

const t = (key: string, params?: Record<string, string | number>) => translate('zh-CN', key, params);

/** A district list whose second case has a bad birth date and cells a spreadsheet would run as formulas. */
const LIST = [
  '姓名,性别,年龄,出生日期,联系电话,现住址,所属社区',
  '张伟,男,72,,13800138000,东明路1号,东明社区',
  '"=HYPERLINK(""http://x"",""点我"")",女,,2022-02-30,+8613912345678,@SUM(A1:A9),"\t-1+1"',
  '',
].join('\n');

describe('finding 10: the skipped-rows report is written by the one CSV writer', () => {
  it('neutralises formula-looking cells of a skipped case-list row (= + - @ tab), like the reports and the backup export', () => {
    const c = makeNetwork();
    const [header, ...rows] = parseCsv(LIST).rows;
    const mapping = autoMap(header!.cells);
    const report = c.ok<ImportReport>('import:commit', {
      fileName: '阳性名单.csv',
      encoding: 'utf-8',
      header: header!.cells,
      mapping,
      rows,
      selected: [2],
      wardId: c.zoneId,
      admittedAt: NOW,
    });
    expect(report.skipped.map((s) => [s.line, s.reason])).toEqual([[3, 'error']]);

    const written = reportCsv(report, t, { header: header!.cells, rows });
    const back = parseCsv(written).rows;
    expect(back).toHaveLength(2);
    const cells = back[1]!.cells;
    expect(cells[0]).toBe('3');
    expect(cells.slice(3)).toEqual([`'=HYPERLINK("http://x","点我")`, '女', '', '2022-02-30', "'+8613912345678", "'@SUM(A1:A9)", "'\t-1+1"]);
    // No cell of the file starts with a character a spreadsheet would evaluate.
    for (const row of back) for (const cell of row.cells) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    c.close();
  });

  it('writes numbers as numbers and leaves negative numbers alone', () => {
    expect([csvCell(-3), csvCell('-3'), csvCell(null), csvCell(Number.NaN), csvCell(' a'), csvCell('a,"b"')]).toEqual(['-3', "'-3", '', '', '" a"', '"a,""b"""']);
  });
});
