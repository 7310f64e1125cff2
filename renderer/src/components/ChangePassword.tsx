import { useState } from 'react';
import { Badge, Button, Group, Menu, Modal, PasswordInput, Stack, Text, UnstyledButton } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconKey } from '@tabler/icons-react';
import { ChangePasswordSchema, type SessionUser } from '../../../shared/api/auth';
import { AppError } from '../../../shared/errors';
import { api } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { useSession } from '../lib/session';
import { fieldErrors, issuesOf, precheck } from '../lib/formErrors';
import { FormError } from './FormError';

/** The header's user menu: who is logged in, in which role, and what they can do with their own account. */
export function UserMenu({ user }: { user: SessionUser }) {
  const { t } = useI18n();
  const [changing, setChanging] = useState(false);
  return (
    <>
      <Menu position="bottom-end" shadow="md" withinPortal>
        <Menu.Target>
          <UnstyledButton title={t('shell.user_menu', { name: user.displayName })} data-testid="user-menu">
            <Group gap={6} wrap="nowrap">
              <Text size="sm" data-testid="current-user" style={{ whiteSpace: 'nowrap' }}>
                {user.displayName}
              </Text>
              <Badge variant="light" className="roomy-only" title={t(`role.${user.role}`)}>
                {t(`role.${user.role}`)}
              </Badge>
              <IconChevronDown size={14} aria-hidden />
            </Group>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{t(`role.${user.role}`)}</Menu.Label>
          <Menu.Item leftSection={<IconKey size={16} />} onClick={() => setChanging(true)}>
            {t('shell.change_password')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {changing && <ChangePasswordDialog onClose={() => setChanging(false)} />}
    </>
  );
}

/**
 * The user changes their own password: the current one, then the new one twice. Field errors come from
 * the contract's schema before sending and from the core after (a wrong current password); guessing it
 * until the account locks ends the session, and the login screen follows.
 */
export function ChangePasswordDialog({ onClose }: { onClose: () => void }) {
  const { t, errorText, failureText } = useI18n();
  const session = useSession();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({ initialValues: { oldPassword: '', newPassword: '', confirm: '' } });

  const submit = form.onSubmit(async (v) => {
    setFormError(null);
    const input = { oldPassword: v.oldPassword, newPassword: v.newPassword };
    const checked = precheck(ChangePasswordSchema, input);
    const errors = checked.ok ? {} : fieldErrors(checked.issues, t);
    if (v.newPassword !== v.confirm) errors.confirm = t('setup.password_mismatch');
    if (Object.keys(errors).length > 0) return form.setErrors(errors);
    setBusy(true);
    try {
      await api.auth.changePassword(input);
      notifications.show({ color: 'teal', message: t('password.done') });
      onClose();
    } catch (err) {
      const issues = issuesOf(err);
      if (issues.length > 0) {
        // Cleared first: a changed value clears its field's error, and the error must stay in view.
        form.setFieldValue('oldPassword', '');
        form.setErrors(fieldErrors(issues, t));
      } else if (err instanceof AppError && (err.details.key === 'auth.locked' || err.details.key === 'auth.session_ended')) {
        notifications.show({ color: 'red', message: errorText(err) });
        session.ended();
      } else {
        setFormError(failureText(err));
      }
    } finally {
      setBusy(false);
    }
  });

  return (
    <Modal opened onClose={onClose} title={<Text fw={700}>{t('password.title')}</Text>} centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormError message={formError} />
          <Text size="sm" c="dimmed">
            {t('password.hint')}
          </Text>
          <PasswordInput label={t('password.old')} required data-autofocus autoComplete="current-password" {...form.getInputProps('oldPassword')} />
          <PasswordInput label={t('password.new')} description={t('setup.password_hint')} required autoComplete="new-password" {...form.getInputProps('newPassword')} />
          <PasswordInput label={t('password.confirm')} required autoComplete="new-password" {...form.getInputProps('confirm')} />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('password.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
