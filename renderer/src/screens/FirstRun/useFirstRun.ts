import { useEffect, useState } from 'react';
import { useForm } from '@mantine/form';
import type { SessionUser } from '../../../../shared/api/auth';
import { NewAdminSchema } from '../../../../shared/api/setup';
import { api } from '../../lib/api';
import { useI18n } from '../../lib/i18n';
import { fieldErrors, issuesOf, precheck } from '../../lib/formErrors';
import { desktopNetwork } from '../../lib/network';

export interface DemoLoaded {
  user: SessionUser;
  password: string;
  patients: number;
  beds: number;
}

/**
 * The first run's choices: the administrator's form, the demo network, and (desktop, standalone)
 * connecting to a server. A created administrator is held in `admin` for the next step, the recovery
 * passphrase (issue 20), before the app opens.
 */
export function useFirstRun() {
  const { t, failureText } = useI18n();
  const [busy, setBusy] = useState<'admin' | 'demo' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [demo, setDemo] = useState<DemoLoaded | null>(null);
  const form = useForm({ initialValues: { username: 'admin', displayName: '', password: '', confirm: '' } });
  const network = desktopNetwork();
  const [canConnect, setCanConnect] = useState(false);
  const [connecting, setConnecting] = useState(false);
  const [admin, setAdmin] = useState<SessionUser | null>(null);

  useEffect(() => {
    if (!network) return;
    let live = true;
    void network.mode().then((r) => live && setCanConnect(r.ok && r.value.mode === 'standalone'));
    return () => {
      live = false;
    };
  }, [network]);

  const createAdmin = form.onSubmit(async ({ confirm, ...values }) => {
    setError(null);
    const checked = precheck(NewAdminSchema, values);
    const errors = checked.ok ? {} : fieldErrors(checked.issues, t);
    if (confirm !== values.password) errors.confirm = t('setup.password_mismatch');
    if (Object.keys(errors).length > 0) return form.setErrors(errors);
    setBusy('admin');
    try {
      setAdmin(await api.setup.createAdmin(values));
    } catch (err) {
      form.setErrors(fieldErrors(issuesOf(err), t));
      if (!issuesOf(err).length) setError(failureText(err));
    } finally {
      setBusy(null);
    }
  });

  const loadDemo = async () => {
    setBusy('demo');
    setError(null);
    try {
      setDemo(await api.setup.loadDemo({}));
    } catch (err) {
      setError(failureText(err));
    } finally {
      setBusy(null);
    }
  };

  return { busy, error, demo, form, createAdmin, loadDemo, network, canConnect, connecting, setConnecting, admin };
}
