import { Component, Suspense, use, type ComponentType, type ReactNode } from 'react';
import { Center, Loader } from '@mantine/core';
import { AppError } from '../../../shared/errors';
import { ErrorPanel } from '../components/ErrorPanel';
import './lazy.css';

/** A component whose code is fetched when it is first rendered or preloaded (issue 17: the first screen's JavaScript stays small). */
export interface LazyComponent<P> {
  (props: P): ReactNode;
  /** Starts fetching the code (idempotent); resolves when it is there. */
  preload: () => Promise<unknown>;
}

/**
 * Like React.lazy, with two differences that matter on a ward tablet: once the code is there the
 * component renders synchronously (React.lazy suspends once even for a module already fetched, which
 * shows a fallback inside a newly mounted screen), and a failed fetch is not remembered, so "retry"
 * fetches again after the Wi-Fi comes back.
 */
export function lazyComponent<P extends object>(load: () => Promise<ComponentType<P>>): LazyComponent<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  const preload = (): Promise<ComponentType<P>> => {
    pending ??= load().then(
      (c) => (loaded = c),
      (err: unknown) => {
        pending = null;
        throw new AppError('UNAVAILABLE', `the screen's code could not be fetched: ${String(err)}`);
      },
    );
    return pending;
  };
  function Lazy(props: P): ReactNode {
    const Loaded = loaded ?? use(preload());
    return <Loaded {...props} />;
  }
  return Object.assign(Lazy, { preload });
}

/** Runs `fn` when the browser is idle (after the current screen has painted), once. */
export function whenIdle(fn: () => void): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(fn, { timeout: 2000 });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(fn, 200);
  return () => clearTimeout(id);
}

/** Preloads each of `loaders` one after the other, so a prefetch never competes with itself for a slow link. */
export function prefetch(loaders: readonly (() => Promise<unknown>)[]): () => void {
  let cancelled = false;
  const cancel = whenIdle(() => {
    void loaders.reduce<Promise<unknown>>(
      (prev, next) => prev.then(() => (cancelled ? undefined : next())).catch((err: unknown) => console.warn('prefetch failed; the screen loads when opened', err)),
      Promise.resolve(),
    );
  });
  return () => {
    cancelled = true;
    cancel();
  };
}

/** A spinner that shows only when loading takes longer than a glance (CSS delay), so a quick load shows nothing at all. */
export function SlowLoader({ size }: { size?: number | 'xs' | 'sm' | 'md' }) {
  return <Loader className="echelon-slow-loader" size={size ?? 'md'} aria-hidden />;
}

/**
 * Where a lazily loaded part of the app goes: a quiet fallback while its code loads, a retry if it
 * cannot be fetched. An error is cleared when `resetKey` changes (another screen is opened).
 */
export function LazyArea({ resetKey, children }: { resetKey: string; children: ReactNode }) {
  return (
    <LoadErrorBoundary resetKey={resetKey}>
      <Suspense
        fallback={
          <Center h="50vh" aria-busy="true">
            <SlowLoader />
          </Center>
        }
      >
        {children}
      </Suspense>
    </LoadErrorBoundary>
  );
}

interface BoundaryProps {
  resetKey: string;
  children: ReactNode;
}

interface BoundaryState {
  error: unknown;
  /** The resetKey the error happened under. */
  key: string;
}

/**
 * A screen whose code could not be fetched (the server went away) says so and retries; the header
 * and menu stay usable. Any other error a screen throws while rendering is shown the same way rather
 * than blanking the whole window.
 */
class LoadErrorBoundary extends Component<BoundaryProps, BoundaryState> {
  override state: BoundaryState = { error: null, key: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<BoundaryState> {
    return { error };
  }

  static getDerivedStateFromProps(props: BoundaryProps, state: BoundaryState): Partial<BoundaryState> | null {
    if (props.resetKey === state.key) return null;
    return { error: null, key: props.resetKey };
  }

  override render() {
    const { error } = this.state;
    if (error === null) return this.props.children;
    const shown = error instanceof AppError ? error : new AppError('INTERNAL', String(error));
    return <ErrorPanel error={shown} onRetry={() => this.setState({ error: null })} />;
  }
}
