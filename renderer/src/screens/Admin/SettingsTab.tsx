import { useMemo, useState } from 'react';
import { Alert, Button, Group, NumberInput, Paper, Select, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { SettingsUpdateSchema, type SettingsValue } from '../../../../shared/api/settings';
import { useI18n } from '../../lib/i18n';
import { fieldErrors, issuesOf, precheck } from '../../lib/formErrors';
import { useApiMutation, useApiQuery } from '../../lib/query';
import { useSession } from '../../lib/session';
import { ConflictAlert } from '../../components/ConflictAlert';

const FIELDS = ['idleLockMinutes', 'backupKeep', 'timeZone', 'lateEntryHours'] as const;

/**
 * 系统设置: idle lock, backups kept, the hospital's time zone, round mode's late-entry check. The form
 * holds the settings as they were opened, and saves against their version: another administrator's
 * save in between is a CONFLICT naming who and when, and "load" brings the current settings in.
 */
export function SettingsTab({ initial, onSaved }: { initial: SettingsValue; onSaved: () => void }) {
  const { t, errorText } = useI18n();
  const session = useSession();
  const current = useApiQuery('settings:get', {});
  const [version, setVersion] = useState(initial.version);
  const [conflict, setConflict] = useState<string | null>(null);
  const form = useForm<{ idleLockMinutes: number | string; backupKeep: number | string; timeZone: string; lateEntryHours: number | string }>({
    initialValues: { idleLockMinutes: initial.idleLockMinutes, backupKeep: initial.backupKeep, timeZone: initial.timeZone, lateEntryHours: initial.lateEntryHours },
  });
  const zones = useMemo(() => Intl.supportedValuesOf('timeZone'), []);
  const save = useApiMutation('settings:update', {
    success: () => t('settings.saved'),
    onDone: (r) => {
      setVersion(r.version);
      form.resetDirty();
      session.settingsChanged();
      onSaved();
    },
    onRefused: (err) => {
      if (err.code === 'CONFLICT') setConflict(errorText(err));
      form.setErrors(fieldErrors(issuesOf(err), t));
    },
  });
  const formError = conflict ? null : (save.errors._form ?? null);

  const loadCurrent = async () => {
    const now = (await current.refetch()).data;
    if (!now) return;
    // Values the administrator changed stay; the others take the current settings.
    const typed = FIELDS.filter((k) => form.isDirty(k));
    const fresh = { idleLockMinutes: now.idleLockMinutes, backupKeep: now.backupKeep, timeZone: now.timeZone, lateEntryHours: now.lateEntryHours };
    form.setInitialValues(fresh);
    form.setValues({ ...fresh, ...Object.fromEntries(typed.map((k) => [k, form.values[k]])) });
    setVersion(now.version);
    setConflict(null);
  };

  const submit = form.onSubmit((v) => {
    const input = { idleLockMinutes: Number(v.idleLockMinutes), backupKeep: Number(v.backupKeep), timeZone: v.timeZone, lateEntryHours: Number(v.lateEntryHours), version };
    const checked = precheck(SettingsUpdateSchema, input);
    if (!checked.ok) return form.setErrors(fieldErrors(checked.issues, t));
    setConflict(null);
    void save.submit(checked.data);
  });

  return (
    <Paper withBorder p="md" maw={640}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {conflict && <ConflictAlert message={conflict} loading={current.isFetching} onLoadCurrent={() => void loadCurrent()} />}
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
            <Button type="submit" loading={save.busy}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
