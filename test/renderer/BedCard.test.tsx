import { describe, expect, it, vi } from 'vitest';
import { render, screen, fireEvent, cleanup } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { I18nProvider } from '../../renderer/src/lib/i18n';
import { BedCard } from '../../renderer/src/screens/WardBoard/BedCard';
import type { Bed } from '../../shared/api/facilities';

function renderCard(bed: Bed, onAdmit?: () => void) {
  return render(
    <MantineProvider env="test">
      <I18nProvider locale="zh-CN">
        <BedCard bed={bed} onAdmit={onAdmit} />
      </I18nProvider>
    </MantineProvider>,
  );
}

describe('a bed card on the ward board', () => {
  it('shows an occupied bed with name, sex, age and day of stay, and no admit button', () => {
    renderCard({ id: 1, label: 'G01-001', state: 'occupied', tags: [], occupant: { patientId: 1, episodeId: 1, name: '王秀英', sex: 'F', ageYears: 71, admittedAt: '2022-03-18T02:00:00.000Z', dayOfStay: 3 } }, vi.fn());
    expect(screen.getByText('王秀英')).toBeTruthy();
    expect(screen.getByText('女 · 71 岁 · 住院第 3 天')).toBeTruthy();
    expect(screen.getByText('在床')).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
    cleanup();
  });

  it('offers admission on a free bed only when the role may admit', () => {
    const onAdmit = vi.fn();
    renderCard({ id: 2, label: 'G01-002', state: 'free', tags: ['oxygen'], occupant: null }, onAdmit);
    fireEvent.click(screen.getByRole('button', { name: '收治到 G01-002 床' }));
    expect(onAdmit).toHaveBeenCalledOnce();
    expect(screen.getByText('供氧')).toBeTruthy();
    cleanup();
    renderCard({ id: 2, label: 'G01-002', state: 'free', tags: [], occupant: null }, undefined);
    expect(screen.queryByRole('button')).toBeNull();
    cleanup();
  });

  it('labels a bed being cleaned in text, not by colour alone', () => {
    renderCard({ id: 3, label: 'G01-003', state: 'cleaning', tags: [], occupant: null }, vi.fn());
    expect(screen.getByText('待消毒')).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
    cleanup();
  });
});
