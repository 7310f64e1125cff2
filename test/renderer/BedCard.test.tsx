import { describe, expect, it, vi } from 'vitest';
import { render, screen, fireEvent, cleanup } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { I18nProvider } from '../../renderer/src/lib/i18n';
import { BedCard } from '../../renderer/src/screens/WardBoard/BedCard';
import type { Bed } from '../../shared/api/facilities';

function occupant(over: Partial<NonNullable<Bed['occupant']>> = {}): NonNullable<Bed['occupant']> {
  return {
    patientId: 1,
    episodeId: 1,
    name: '王秀英',
    sex: 'F',
    ageYears: 71,
    admittedAt: '2022-03-18T02:00:00.000Z',
    dayOfStay: 3,
    currentClass: null,
    proposedClass: 'mild',
    tier: null,
    news2Total: null,
    news2Band: null,
    news2Complete: null,
    flags: [],
    nextObsDueAt: null,
    overdue: false,
    urgency: 0,
    escalation: null,
    ...over,
  };
}

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
    renderCard({ id: 1, label: 'G01-001', state: 'occupied', tags: [], version: 1, occupant: occupant() }, vi.fn());
    expect(screen.getByText('王秀英')).toBeTruthy();
    expect(screen.getByText('女 · 71 岁 · 住院第 3 天')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /收治/ })).toBeNull();
    cleanup();
  });

  it('shows how ill the patient is in words, not colour alone: class, NEWS2 with band, tier, flags, overdue observations', () => {
    const onOpen = vi.fn();
    render(
      <MantineProvider env="test">
        <I18nProvider locale="zh-CN">
          <BedCard
            bed={{
              id: 1,
              label: 'G01-001',
              state: 'occupied',
              tags: [],
              version: 1,
              occupant: occupant({
                currentClass: 'moderate',
                news2Total: 6,
                news2Band: 'medium',
                news2Complete: true,
                tier: 'T3',
                flags: ['risk_factors', 'news2_high', 'hypoxaemia_worsening'],
                overdue: true,
              }),
            }}
            onAdmit={undefined}
            onOpen={onOpen}
          />
        </I18nProvider>
      </MantineProvider>,
    );
    expect(screen.getByText('普通型')).toBeTruthy();
    expect(screen.getByText(/NEWS2 6/).textContent).toContain('中风险');
    expect(screen.getByText('T3')).toBeTruthy();
    expect(screen.getByTestId('bed-flags').textContent).toContain('2 项预警');
    expect(screen.getByTestId('overdue').textContent).toBe('逾期');
    fireEvent.click(screen.getByRole('button', { name: '打开 G01-001 床 王秀英 的病历' }));
    expect(onOpen).toHaveBeenCalledWith(1);
    cleanup();
  });

  it('shows "NEWS2 —" for a patient nobody measured, an incomplete score as incomplete, and an unanswered escalation in words', () => {
    renderCard({ id: 1, label: 'G01-001', state: 'occupied', tags: [], version: 1, occupant: occupant() });
    expect(screen.getByText('NEWS2 —')).toBeTruthy();
    expect(screen.queryByTestId('bed-escalation')).toBeNull();
    cleanup();
    renderCard({ id: 1, label: 'G01-001', state: 'occupied', tags: [], version: 1, occupant: occupant({ news2Total: 4, news2Band: 'low', news2Complete: false }) });
    expect(screen.getByText('NEWS2 ≥4 · 不完整')).toBeTruthy();
    cleanup();
    const escalation = { roundId: 9, level: 'emergency' as const, news2Total: 7, measuredAt: '2022-03-20T02:00:00.000Z' };
    renderCard({ id: 1, label: 'G01-001', state: 'occupied', tags: [], version: 1, occupant: occupant({ news2Total: 7, news2Band: 'high', news2Complete: true, escalation }) });
    expect(screen.getByTestId('bed-escalation').textContent).toBe('待处理：抢救（NEWS2 7）');
    cleanup();
  });

  it('offers admission on a free bed only when the role may admit', () => {
    const onAdmit = vi.fn();
    renderCard({ id: 2, label: 'G01-002', state: 'free', tags: ['oxygen'], version: 1, occupant: null }, onAdmit);
    fireEvent.click(screen.getByRole('button', { name: '收治到 G01-002 床' }));
    expect(onAdmit).toHaveBeenCalledOnce();
    expect(screen.getByText('供氧')).toBeTruthy();
    cleanup();
    renderCard({ id: 2, label: 'G01-002', state: 'free', tags: [], version: 1, occupant: null }, undefined);
    expect(screen.queryByRole('button')).toBeNull();
    cleanup();
  });

  it('labels a bed being cleaned in text, not by colour alone', () => {
    renderCard({ id: 3, label: 'G01-003', state: 'cleaning', tags: [], version: 1, occupant: null }, vi.fn());
    expect(screen.getByText('待消毒')).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
    cleanup();
  });
});
