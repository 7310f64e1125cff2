import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { I18nProvider } from '../../renderer/src/lib/i18n';
import { ClashList, bySeverity, eligibleUndecided, medicineName } from '../../renderer/src/components/antiviral/parts';
import { againstProposal } from '../../renderer/src/screens/Chart/AntiviralDecisionModal';
import type { ClashOut } from '../../shared/api/antiviral';
import type { Locale } from '../../shared/i18n';

const source = { document: 'PAXLOVID US PI', edition: '2023', section: '4' };
const clash = (medicine: string, entered: string, severity: ClashOut['severity']): ClashOut => ({
  medicine,
  entered,
  severity,
  advice: { zh: `${entered}：处理建议`, en: `${medicine}: advice` },
  source,
});
const AMLODIPINE = clash('amlodipine', '氨氯地平', 'adjust_or_hold');
const SIMVASTATIN = clash('simvastatin', '辛伐他汀', 'contraindicated');
const MIDAZOLAM = clash('midazolam', '咪达唑仑', 'monitor');

function renderList(clashes: ClashOut[], locale: Locale, limit?: number) {
  return render(
    <MantineProvider env="test">
      <I18nProvider locale={locale}>
        <ClashList clashes={clashes} t={(k) => k} locale={locale} limit={limit} />
      </I18nProvider>
    </MantineProvider>,
  );
}

afterEach(cleanup);

describe('antiviral parts', () => {
  it('lists the contraindicated clash first, whatever order the medicines were entered in', () => {
    expect(bySeverity([MIDAZOLAM, AMLODIPINE, SIMVASTATIN]).map((c) => c.medicine)).toEqual(['simvastatin', 'amlodipine', 'midazolam']);
  });

  it('folds a long list of clashes to the most dangerous one and "+N", and unfolds it', () => {
    const { container } = renderList([AMLODIPINE, SIMVASTATIN, MIDAZOLAM], 'zh-CN', 1);
    expect([...container.querySelectorAll('[data-clash]')].map((e) => e.getAttribute('data-clash'))).toEqual(['simvastatin']);
    fireEvent.click(screen.getByTestId('clashes-more'));
    expect(container.querySelectorAll('[data-clash]')).toHaveLength(3);
  });

  it('names a medicine in the reader’s language from the lexicon, and free text as entered', () => {
    expect(medicineName('simvastatin', '辛伐他汀 20mg', 'en')).toBe('simvastatin');
    expect(medicineName('simvastatin', 'simvastatin', 'zh-CN')).toBe('辛伐他汀');
    expect(medicineName(null, '复方丹参滴丸', 'en')).toBe('复方丹参滴丸');
  });

  it('requires a reason when the decision goes against the proposal', () => {
    expect(againstProposal('start', 'eligible')).toBe(false);
    expect(againstProposal('not_start', 'eligible')).toBe(true);
    expect(againstProposal('start', 'not_eligible')).toBe(true);
    expect(againstProposal('start', 'unknown')).toBe(true);
    expect(againstProposal('not_start', 'unknown')).toBe(false);
  });

  it('reports an eligible option as not started only until a doctor decides on it', () => {
    const options = [
      { option: 'nirmatrelvir_ritonavir', status: 'eligible' },
      { option: 'amubarvimab_romlusevimab', status: 'eligible' },
    ] as const;
    expect(eligibleUndecided({ proposal: { options }, decisions: [] })).toEqual(['nirmatrelvir_ritonavir', 'amubarvimab_romlusevimab']);
    expect(eligibleUndecided({ proposal: { options }, decisions: [{ option: 'amubarvimab_romlusevimab' }] })).toEqual(['nirmatrelvir_ritonavir']);
  });
});
