import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { CHANNELS } from '../../shared/api';
import { buildBridge } from '../../shared/api/client';
import type { Result } from '../../shared/errors';

/** What main answers: set per test. The bridge is in place before the renderer's api module reads it. */
const calls: { channel: string; input: unknown }[] = [];
let answer: (input: unknown) => Result<unknown> = () => ({ ok: true, value: { unlocked: true } });
Object.assign(window, {
  echelon: buildBridge(CHANNELS, (channel, input) => {
    calls.push({ channel, input });
    return Promise.resolve(answer(input));
  }),
});
const { UnlockRecordScreen } = await import('../../renderer/src/screens/FirstRun/UnlockRecordScreen');
const { I18nProvider } = await import('../../renderer/src/lib/i18n');
const { createQueryClient } = await import('../../renderer/src/lib/query');

function renderScreen(onUnlocked: () => void) {
  return render(
    <MantineProvider env="test">
      <I18nProvider locale="zh-CN">
        <QueryClientProvider client={createQueryClient()}>
          <UnlockRecordScreen onUnlocked={onUnlocked} />
        </QueryClientProvider>
      </I18nProvider>
    </MantineProvider>,
  );
}

const WRONG: Result<unknown> = {
  ok: false,
  error: {
    code: 'VALIDATION',
    message: 'wrong recovery passphrase',
    details: { key: 'security.wrong_passphrase', issues: [{ field: 'passphrase', key: 'security.wrong_passphrase' }] },
  },
};

afterEach(() => {
  cleanup();
  calls.length = 0;
});

describe('the unlock screen of a record this workstation holds no key for', () => {
  it('says what happened and asks for the recovery passphrase', () => {
    renderScreen(vi.fn());
    expect(screen.getByRole('heading', { name: '本机没有此记录的密钥' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('此记录已加密，本工作站没有其密钥');
  });

  it('a wrong passphrase is said on the field, emptied, and the window stays', async () => {
    answer = () => WRONG;
    const onUnlocked = vi.fn();
    renderScreen(onUnlocked);
    fireEvent.change(screen.getByLabelText('恢复口令'), { target: { value: 'not the passphrase' } });
    fireEvent.click(screen.getByRole('button', { name: '用恢复口令解锁' }));
    await waitFor(() => expect(screen.getByText('恢复口令不正确；文件未被改动。')).toBeTruthy());
    expect(calls).toEqual([{ channel: 'security:unlockWithPassphrase', input: { passphrase: 'not the passphrase' } }]);
    expect((screen.getByLabelText('恢复口令') as HTMLInputElement).value).toBe('');
    expect(onUnlocked).not.toHaveBeenCalled();
  });

  it('an empty field is refused before main is asked; the right passphrase goes on', async () => {
    answer = () => ({ ok: true, value: { unlocked: true } });
    const onUnlocked = vi.fn();
    renderScreen(onUnlocked);
    fireEvent.click(screen.getByRole('button', { name: '用恢复口令解锁' }));
    await waitFor(() => expect(screen.getByLabelText('恢复口令').getAttribute('data-invalid')).toBe('true'));
    expect(calls).toEqual([]);
    fireEvent.change(screen.getByLabelText('恢复口令'), { target: { value: 'the red folder in ward 3' } });
    fireEvent.click(screen.getByRole('button', { name: '用恢复口令解锁' }));
    await waitFor(() => expect(onUnlocked).toHaveBeenCalledTimes(1));
  });
});
