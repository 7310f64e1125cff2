import { useState, type ReactNode } from 'react';
import { Alert, Button, Group, Modal, MultiSelect, PasswordInput, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { NewUserSchema, ResetPasswordSchema, UserUpdateSchema, WARD_SCOPED_ROLES, type User } from '../../../../shared/api/users';
import { ROLES, type Role } from '../../../../shared/domain/enums';
import { AppError } from '../../../../shared/errors';
import { api } from '../../lib/api';
import { useI18n } from '../../lib/i18n';
import { fieldErrors, issuesOf, precheck } from '../../lib/formErrors';
import { useApiMutation, useApiQuery } from '../../lib/query';
import { ConflictAlert } from '../../components/ConflictAlert';

export interface WardOption {
  id: number;
  name: string;
  facility: string;
}

/** Ward choices grouped by facility, for a MultiSelect. */
function wardData(wards: readonly WardOption[]) {
  const groups = new Map<string, { value: string; label: string }[]>();
  for (const w of wards) {
    const items = groups.get(w.facility) ?? [];
    items.push({ value: String(w.id), label: w.name });
    groups.set(w.facility, items);
  }
  return [...groups].map(([group, items]) => ({ group, items }));
}

/** Runs a save: field errors land on the form, anything else in the dialog's alert. */
function useSave() {
  const { t, failureText } = useI18n();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const run = async (fn: () => Promise<void>, setErrors: (e: Record<string, string>) => void) => {
    setBusy(true);
    setFormError(null);
    try {
      await fn();
    } catch (err) {
      const issues = issuesOf(err);
      if (issues.length > 0) setErrors(fieldErrors(issues, t));
      else setFormError(failureText(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, formError, run };
}

/**
 * The account as the dialog opened it: its edits are made against that version. After a CONFLICT the
 * dialog offers the current one (the list reloads; `load` takes the account's row from it), naming who
 * changed it and when.
 */
function useAccountBase(user: User | undefined) {
  const { errorText } = useI18n();
  const list = useApiQuery('users:list', {});
  const [base, setBase] = useState(user);
  const [conflict, setConflict] = useState<string | null>(null);
  const refused = (err: AppError) => {
    if (err.code === 'CONFLICT') setConflict(errorText(err));
  };
  const load = async (): Promise<User | undefined> => {
    const now = (await list.refetch()).data?.find((u) => u.id === user?.id);
    if (now) setBase(now);
    setConflict(null);
    return now;
  };
  return { base, conflict, refused, clear: () => setConflict(null), load, loading: list.isFetching };
}

type AccountBase = ReturnType<typeof useAccountBase>;

function DialogFrame({
  title,
  onClose,
  formError,
  account,
  onLoaded,
  children,
}: {
  title: string;
  onClose: () => void;
  formError: string | null;
  account?: AccountBase;
  onLoaded?: (now: User) => void;
  children: ReactNode;
}) {
  return (
    <Modal opened onClose={onClose} title={<Text fw={700}>{title}</Text>} size="lg" centered>
      <Stack>
        {account?.conflict ? (
          <ConflictAlert
            message={account.conflict}
            loading={account.loading}
            onLoadCurrent={() =>
              void account.load().then((now) => {
                if (now) onLoaded?.(now);
              })
            }
          />
        ) : (
          formError && (
            <Alert color="red" role="alert">
              {formError}
            </Alert>
          )
        )}
        {children}
      </Stack>
    </Modal>
  );
}

function Actions({ onClose, busy, submit }: { onClose: () => void; busy: boolean; submit: string }) {
  const { t } = useI18n();
  return (
    <Group justify="flex-end" mt="sm">
      <Button variant="default" onClick={onClose}>
        {t('common.cancel')}
      </Button>
      <Button type="submit" loading={busy}>
        {submit}
      </Button>
    </Group>
  );
}

interface UserValues {
  username: string;
  displayName: string;
  role: Role;
  active: boolean;
  password: string;
  confirm: string;
  wardIds: string[];
}

/** New user (with an initial password and wards), or edit name, role and whether the account is active. */
export function UserDialog({ user, wards, onClose, onSaved }: { user?: User; wards: readonly WardOption[]; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const { busy, formError, run } = useSave();
  const account = useAccountBase(user);
  const update = useApiMutation('users:update', {
    success: (r) => t('users.saved', { name: r.displayName }),
    onDone: onSaved,
    onRefused: (err) => {
      account.refused(err);
      form.setErrors(fieldErrors(issuesOf(err), t));
    },
  });
  const form = useForm<UserValues>({
    initialValues: {
      username: user?.username ?? '',
      displayName: user?.displayName ?? '',
      role: user?.role ?? 'ward_doctor',
      active: user?.active ?? true,
      password: '',
      confirm: '',
      wardIds: [],
    },
  });
  const scoped = WARD_SCOPED_ROLES.includes(form.values.role);

  const submit = form.onSubmit((v) =>
    run(async () => {
      if (account.base) {
        const input = { userId: account.base.id, displayName: v.displayName, role: v.role, active: v.active, version: account.base.version };
        const checked = precheck(UserUpdateSchema, input);
        if (!checked.ok) return form.setErrors(fieldErrors(checked.issues, t));
        account.clear();
        await update.submit(checked.data);
        return;
      } else {
        if (v.password !== v.confirm) return form.setErrors({ confirm: t('setup.password_mismatch') });
        const input = { username: v.username, displayName: v.displayName, role: v.role, password: v.password, wardIds: scoped ? v.wardIds.map(Number) : [] };
        const checked = precheck(NewUserSchema, input);
        if (!checked.ok) return form.setErrors(fieldErrors(checked.issues, t));
        await api.users.create(input);
        notifications.show({ color: 'teal', message: t('users.created', { name: v.displayName }) });
      }
      onSaved();
    }, form.setErrors),
  );

  return (
    <DialogFrame
      title={user ? t('users.edit_title', { name: user.displayName }) : t('users.create_title')}
      onClose={onClose}
      formError={formError ?? update.errors._form ?? null}
      account={account}
      onLoaded={(now) => {
        // What the administrator changed stays; the fields they left take the current values.
        const typed = (['displayName', 'role', 'active'] as const).filter((k) => form.isDirty(k));
        const current = { displayName: now.displayName, role: now.role, active: now.active };
        form.setInitialValues({ ...form.values, ...current });
        form.setValues({ ...current, ...Object.fromEntries(typed.map((k) => [k, form.values[k]])) });
      }}
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <Group grow align="flex-start">
            <TextInput label={t('user.username')} required disabled={Boolean(user)} data-autofocus={!user || undefined} {...form.getInputProps('username')} />
            <TextInput label={t('user.display_name')} required data-autofocus={user ? true : undefined} {...form.getInputProps('displayName')} />
          </Group>
          <Select label={t('users.role')} data={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} allowDeselect={false} {...form.getInputProps('role')} />
          {user ? (
            <Switch label={t('users.active_switch')} description={t('users.active_hint')} {...form.getInputProps('active', { type: 'checkbox' })} />
          ) : (
            <>
              <Group grow align="flex-end">
                <PasswordInput label={t('users.initial_password')} description={t('setup.password_hint')} required {...form.getInputProps('password')} />
                <PasswordInput label={t('setup.confirm_password')} required {...form.getInputProps('confirm')} />
              </Group>
              {scoped && (
                <MultiSelect label={t('users.wards')} description={t('users.wards_hint')} data={wardData(wards)} searchable clearable {...form.getInputProps('wardIds')} />
              )}
            </>
          )}
          <Actions onClose={onClose} busy={busy || update.busy} submit={user ? t('common.save') : t('users.create')} />
        </Stack>
      </form>
    </DialogFrame>
  );
}

/** A new password, given by the administrator; it also lifts a lockout. */
export function PasswordDialog({ user, onClose, onSaved }: { user: User; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const account = useAccountBase(user);
  const form = useForm({ initialValues: { password: '', confirm: '' } });
  const reset = useApiMutation('users:resetPassword', {
    success: () => t('users.password_reset_done', { name: user.displayName }),
    onDone: onSaved,
    onRefused: (err) => {
      account.refused(err);
      form.setErrors(fieldErrors(issuesOf(err), t));
    },
  });
  const submit = form.onSubmit((v) => {
    if (v.password !== v.confirm) return form.setErrors({ confirm: t('setup.password_mismatch') });
    const input = { userId: user.id, password: v.password, version: account.base?.version ?? user.version };
    const checked = precheck(ResetPasswordSchema, input);
    if (!checked.ok) return form.setErrors(fieldErrors(checked.issues, t));
    account.clear();
    void reset.submit(checked.data);
  });
  const busy = reset.busy;
  return (
    <DialogFrame title={t('users.reset_title', { name: user.displayName })} onClose={onClose} formError={reset.errors._form ?? null} account={account}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm" c="dimmed">
            {t('users.reset_hint')}
          </Text>
          <PasswordInput label={t('users.new_password')} description={t('setup.password_hint')} required data-autofocus {...form.getInputProps('password')} />
          <PasswordInput label={t('setup.confirm_password')} required {...form.getInputProps('confirm')} />
          <Actions onClose={onClose} busy={busy} submit={t('users.reset_password')} />
        </Stack>
      </form>
    </DialogFrame>
  );
}

/** The wards a ward doctor or nurse may work in; none means every ward. */
export function WardsDialog({ user, wards, onClose, onSaved }: { user: User; wards: readonly WardOption[]; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const account = useAccountBase(user);
  const form = useForm({ initialValues: { wardIds: user.wardIds.map(String) } });
  const save = useApiMutation('users:setWards', {
    success: () => t('users.saved', { name: user.displayName }),
    onDone: onSaved,
    onRefused: (err) => {
      account.refused(err);
      form.setErrors(fieldErrors(issuesOf(err), t));
    },
  });
  const submit = form.onSubmit((v) => {
    account.clear();
    void save.submit({ userId: user.id, wardIds: v.wardIds.map(Number), version: account.base?.version ?? user.version });
  });
  const busy = save.busy;
  return (
    <DialogFrame
      title={t('users.wards_title', { name: user.displayName })}
      onClose={onClose}
      formError={save.errors._form ?? null}
      account={account}
      onLoaded={(now) => {
        // The wards chosen here stay if the administrator changed them; otherwise the current ones show.
        if (!form.isDirty('wardIds')) form.setValues({ wardIds: now.wardIds.map(String) });
        form.setInitialValues({ wardIds: now.wardIds.map(String) });
      }}
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm" c="dimmed">
            {t('users.wards_hint')}
          </Text>
          <MultiSelect label={t('users.wards')} data={wardData(wards)} searchable clearable data-autofocus {...form.getInputProps('wardIds')} maxDropdownHeight={280} />
          <Actions onClose={onClose} busy={busy} submit={t('common.save')} />
        </Stack>
      </form>
    </DialogFrame>
  );
}
