import { useMemo, useState } from 'react';
import { Alert, Button, Group, NumberInput, Paper, Select, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { SettingsUpdateSchema, type SettingsValue } from '../../../../shared/api/settings';
import { AppError } from '../../../../shared/errors';
import { api } from '../../lib/api';
import { useI18n } from '../../lib/i18n';
import { fieldErrors, issuesOf, precheck } from '../../lib/formErrors';
import { useSession } from '../../lib/session';

/** 系统设置: idle lock, backups kept, the hospital's time zone, round mode's late-entry check. */
export function SettingsTab({ initial, onSaved }: { initial: SettingsValue; onSaved: () => void }) {
  const { t, errorText } = useI18n();
  const session = useSession();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<{ idleLockMinutes: number | string; backupKeep: number | string; timeZone: string; lateEntryHours: number | string }>({ initialValues: initial });
  const zones = useMemo(() => Intl.supportedValuesOf('timeZone'), []);

  const submit = form.onSubmit(async (v) => {
    const input = { idleLockMinutes: Number(v.idleLockMinutes), backupKeep: Number(v.backupKeep), timeZone: v.timeZone, lateEntryHours: Number(v.lateEntryHours) };
    const checked = precheck(SettingsUpdateSchema, input);
    if (!checked.ok) return form.setErrors(fieldErrors(checked.issues, t));
    setBusy(true);
    setFormError(null);
    try {
      await api.settings.update(input);
      notifications.show({ color: 'teal', message: t('settings.saved') });
      session.settingsChanged();
      onSaved();
    } catch (err) {
      const issues = issuesOf(err);
      if (issues.length > 0) form.setErrors(fieldErrors(issues, t));
      else setFormError(err instanceof AppError ? errorText(err) : String(err));
    } finally {
      setBusy(false);
    }
  });

  return (
    <Paper withBorder p="md" maw={640}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {formError && (
            <Alert color="red" role="alert">
              {formError}
            </Alert>
          )}
          <NumberInput
            label={t('settings.idle_lock')}
            description={t('settings.idle_lock_hint')}
            min={1}
            max={120}
            allowDecimal={false}
            suffix={` ${t('settings.minutes')}`}
            {...form.getInputProps('idleLockMinutes')}
          />
          <NumberInput
            label={t('settings.backup_keep')}
            description={t('settings.backup_keep_hint')}
            min={1}
            max={365}
            allowDecimal={false}
            {...form.getInputProps('backupKeep')}
          />
          <NumberInput
            label={t('settings.late_entry')}
            description={t('settings.late_entry_hint')}
            min={1}
            max={72}
            allowDecimal={false}
            suffix={` ${t('settings.hours')}`}
            {...form.getInputProps('lateEntryHours')}
          />
          <Select label={t('settings.time_zone')} description={t('settings.time_zone_hint')} data={zones} searchable allowDeselect={false} {...form.getInputProps('timeZone')} />
          <Group justify="flex-end">
            <Button type="submit" loading={busy}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
