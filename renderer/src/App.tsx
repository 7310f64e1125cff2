import { Suspense, startTransition, useCallback, useEffect, useState } from 'react';
import { Center, Loader } from '@mantine/core';
import type { SessionUser } from '../../shared/api/auth';
import { api, onSessionEnded } from './lib/api';
import { LoginScreen } from './screens/Login/LoginScreen';
import { FirstRunScreen } from './screens/FirstRun/FirstRunScreen';
import { CertificateChangedScreen } from './screens/FirstRun/CertificateChangedScreen';
import { UnlockRecordScreen } from './screens/FirstRun/UnlockRecordScreen';
import { desktopNetwork, isCertificateChanged } from './lib/network';
import { lazyComponent, prefetch } from './app/lazy';
import { ErrorPanel } from './components/ErrorPanel';
import { LockPage } from './components/LockScreen';
import { AppError } from '../../shared/errors';

type Boot =
  | { phase: 'loading' }
  | { phase: 'setup' }
  | { phase: 'login'; ended?: boolean }
  | { phase: 'in'; user: SessionUser }
  | { phase: 'locked'; user: SessionUser }
  | { phase: 'error'; error: AppError }
  /** Connected desktop app: the server presents another certificate than the pinned one (issue 14). */
  | { phase: 'certificate' }
  /** Desktop app: the record is encrypted and this workstation holds no key for it (issue 20); main runs no core yet. */
  | { phase: 'unlock' };

/**
 * The app behind the login: its frame and first screen are one fetch, started while the login screen
 * waits for a password (issue 17), so the entry chunk carries only what the login and first-run
 * screens need.
 */
const Shell = lazyComponent(() => Promise.all([import('./app/Shell'), import('./app/routes').then((r) => r.preloadScreen(r.FIRST_SCREEN))]).then(([m]) => m.Shell));

/** Decides what the window shows: first-run setup, login, or the app for the logged-in user. */
export function App() {
  const [boot, setBootNow] = useState<Boot>({ phase: 'loading' });
  // Every change of phase is a transition: the screen shown (the loader, the login) stays until the
  // next one's code has arrived, rather than a blank fallback flashing in between.
  const setBoot = useCallback((next: Boot | ((b: Boot) => Boot)) => startTransition(() => setBootNow(next)), []);

  const refresh = useCallback(async () => {
    try {
      const status = await api.setup.status({});
      if (status.needsSetup) return setBoot({ phase: 'setup' });
      const user = await api.auth.session({});
      if (!user) return setBoot({ phase: 'login' });
      const { locked, ...sessionUser } = user;
      setBoot({ phase: locked ? 'locked' : 'in', user: sessionUser });
    } catch (err) {
      if (isCertificateChanged(err) && desktopNetwork()) return setBoot({ phase: 'certificate' });
      if (err instanceof AppError && err.details.key === 'security.key_missing') return setBoot({ phase: 'unlock' });
      setBoot({ phase: 'error', error: err instanceof AppError ? err : new AppError('INTERNAL', String(err)) });
    }
  }, [setBoot]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // The app's code is fetched while the browser is idle on the login, first-run or lock screen.
  const outside = boot.phase !== 'in';
  useEffect(() => (outside ? prefetch([Shell.preload]) : undefined), [outside]);

  // A session ended by the core (password reset, role change, deactivation elsewhere) returns to the login screen, saying why.
  useEffect(() => onSessionEnded(() => setBoot((b) => (b.phase === 'in' || b.phase === 'locked' ? { phase: 'login', ended: true } : b))), [setBoot]);

  // A call refused for a changed certificate, whichever screen made it: its own screen, never a generic error.
  useEffect(() => desktopNetwork()?.onCertificateChanged(() => setBoot({ phase: 'certificate' })), [setBoot]);

  return (
    <Suspense fallback={<Loading />}>
      <Phase boot={boot} setBoot={setBoot} refresh={refresh} />
    </Suspense>
  );
}

function Loading() {
  return (
    <Center h="100%">
      <Loader />
    </Center>
  );
}

function Phase({ boot, setBoot, refresh }: { boot: Boot; setBoot: (b: Boot) => void; refresh: () => Promise<void> }) {
  switch (boot.phase) {
    case 'loading':
      return <Loading />;
    case 'error':
      return <ErrorPanel error={boot.error} onRetry={() => void refresh()} />;
    case 'certificate': {
      const network = desktopNetwork();
      if (network) return <CertificateChangedScreen network={network} onResolved={() => void refresh()} />;
      return <ErrorPanel error={new AppError('FORBIDDEN', 'certificate changed', { key: 'server.fingerprint_mismatch' })} />;
    }
    case 'unlock':
      return <UnlockRecordScreen onUnlocked={() => void refresh()} />;
    case 'setup':
      return <FirstRunScreen onDone={(user) => setBoot({ phase: 'in', user })} />;
    case 'login':
      return <LoginScreen ended={boot.ended === true} onLogin={(user) => setBoot({ phase: 'in', user })} />;
    case 'locked': {
      const toLogin = () => setBoot({ phase: 'login' });
      const switchUser = () => void api.auth.logout({}).finally(toLogin);
      return <LockPage user={boot.user} reason={{ kind: 'restart' }} onUnlocked={() => setBoot({ phase: 'in', user: boot.user })} onSwitchUser={switchUser} onEnded={toLogin} />;
    }
    case 'in':
      // Keyed by user: after a quick switch the app starts afresh, so nothing typed by one user is saved under another's name.
      return <Shell key={boot.user.id} user={boot.user} onLogout={() => setBoot({ phase: 'login' })} onSwitched={(user) => setBoot({ phase: 'in', user })} />;
  }
}
