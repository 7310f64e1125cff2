import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { I18nProvider } from '../../renderer/src/lib/i18n';
import { LayoutPanel } from '../../renderer/src/screens/Import/LayoutPanel';
import { FileProblem, parseListFile, withHeaderRow } from '../../renderer/src/screens/Import/loadFile';

const fixture = new Uint8Array(fs.readFileSync(path.join(__dirname, '../fixtures/import/cdc-list-gb18030.csv')));
const utf8 = (text: string) => new TextEncoder().encode(text);

function show(file: ReturnType<typeof parseListFile>, locale: 'zh-CN' | 'en' = 'zh-CN') {
  return render(
    <MantineProvider env="test">
      <I18nProvider locale={locale}>
        <LayoutPanel file={file} onHeaderRow={() => undefined} />
      </I18nProvider>
    </MantineProvider>,
  );
}

afterEach(cleanup);

describe('where the list is in the file, as the Import screen reads it', () => {
  it('finds the header below the two title rows of the GB18030 list, and sets its totals row aside', () => {
    const file = parseListFile('安次区.csv', fixture, null);
    expect(file).toMatchObject({ encoding: 'gb18030', headerIndex: 2 });
    expect(file.rows.map((r) => r.line)).toEqual([4, 5, 6, 7]);
    show(file);
    expect(screen.getByTestId('import-layout-notes').textContent).toContain('表头在第 3 行，其上方 2 行不导入');
    expect(screen.getByText('第 8 行是合计行（合计 · 4人），已跳过，不作为病例。')).toBeTruthy();
    // The totals row's 4人 matches the four case rows: no warning.
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('warns when the totals row states another count than the case rows (a list cut short)', () => {
    show(parseListFile('list.csv', utf8('姓名,性别\n张伟,男\n李娜,女\n合计,5人\n'), null), 'en');
    expect(screen.getByRole('alert').textContent).toBe('The totals row says 5 people, but the file has 2 case rows: check that the list is complete.');
  });

  it('refuses a header row with no case below it, naming its line', () => {
    const file = parseListFile('list.csv', utf8('姓名,性别\n张伟,男\n合计,1人\n'), null);
    const refusal = (() => {
      try {
        withHeaderRow(file, 1);
        return null;
      } catch (err) {
        return err;
      }
    })();
    expect(refusal).toBeInstanceOf(FileProblem);
    expect(refusal).toMatchObject({ key: 'import.no_rows', params: { line: 2 } });
  });
});
