import { useEffect, useState, type ReactNode } from 'react';
import { QueryClient, QueryClientProvider, keepPreviousData, skipToken, useMutation, useQuery } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import type { z } from 'zod';
import type { AppContract, InputOf, OutputOf } from '../../../shared/api';
import { AppError } from '../../../shared/errors';
import { invokeApi, onCommitted } from './api';
import { onConnection } from './transport';
import { isLive, onNotice, onResync, type NoticeMessage } from './live';
import { affects } from '../../../shared/api/changes';
import type { Channel } from './can';
import { fieldErrors, issuesOf, precheck } from './formErrors';
import { useI18n } from './i18n';

declare module '@tanstack/react-query' {
  interface Register {
    defaultError: AppError;
  }
}

type CallAt<C extends Channel> = C extends `${infer D}:${infer V}` ? (D extends keyof AppContract ? (V extends keyof AppContract[D] ? AppContract[D][V] : never) : never) : never;
export type CallInput<C extends Channel> = InputOf<CallAt<C>>;
export type CallOutput<C extends Channel> = OutputOf<CallAt<C>>;

/** One call of the contract, typed by its channel: the value, or the AppError the core answered. */
export function call<C extends Channel>(channel: C, input: CallInput<C>): Promise<CallOutput<C>> {
  return invokeApi(channel, input) as Promise<CallOutput<C>>;
}

/** The cache key of a read: its channel and its input, so a change notice can name exactly what it touches. */
export const queryKeyOf = (channel: Channel, input: unknown) => [channel, input] as const;

function toAppError(err: unknown): AppError {
  return err instanceof AppError ? err : new AppError('INTERNAL', String(err));
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // A refused call (FORBIDDEN, VALIDATION) answers the same the second time: show it at once.
      // networkMode 'always': the transport itself knows the network (IPC never fails; over HTTPS
      // lib/transport.ts retries, answers UNAVAILABLE and reconnects). TanStack's default would pause a
      // save while the browser says offline, leaving the form busy instead of saying "not saved".
      queries: { retry: false, refetchOnWindowFocus: false, staleTime: 0, networkMode: 'always' },
      mutations: { retry: false, networkMode: 'always' },
    },
  });
}

/** Notices arriving within this long are applied together: a burst of saves refetches each read once. */
const NOTICE_BATCH_MS = 100;

/**
 * Refetches exactly the cached reads the notices can have changed (shared/api/changes.ts `affects`):
 * reads on screen refetch in place, keeping their previous data meanwhile, so scroll, selection and
 * focus stay; reads not on screen are marked stale and refetch when next shown.
 */
export function invalidateAffected(client: QueryClient, messages: readonly NoticeMessage[]): Promise<void> {
  return client.invalidateQueries({ predicate: (q) => messages.some((m) => affects(m.notice, String(q.queryKey[0]), q.queryKey[1])) });
}

/** The cache, refreshed key by key by the change notices of every workstation's writes, and wholly after a reconnect. */
export function QueryProvider({ children }: { children: ReactNode }) {
  const [client] = useState(createQueryClient);
  useEffect(() => {
    let batch: NoticeMessage[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    const stopNotices = onNotice((m) => {
      batch.push(m);
      timer ??= setTimeout(() => {
        const messages = batch;
        batch = [];
        timer = null;
        void invalidateAffected(client, messages);
      }, NOTICE_BATCH_MS);
    });
    // Notices may have been missed (a socket opened again): read everything shown anew.
    const stopResync = onResync(() => void client.invalidateQueries());
    return () => {
      stopNotices();
      stopResync();
      if (timer) clearTimeout(timer);
    };
  }, [client]);
  // Without notices (not logged in yet, or the socket down), this window's own writes refresh everything shown.
  useEffect(() => onCommitted(() => !isLive() && void client.invalidateQueries()), [client]);
  // Back from offline (network mode): refetch everything shown, so nothing stale passes for current.
  useEffect(() => onConnection((state) => state === 'online' && void client.invalidateQueries()), [client]);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

/**
 * Reads one contract query, cached under [channel, input]. `input: null` waits (a screen that has no
 * ward chosen yet). While new input loads, the previous answer stays on screen unless `keepPrevious`
 * is false.
 */
export function useApiQuery<C extends Channel>(channel: C, input: CallInput<C> | null, options: { keepPrevious?: boolean } = {}) {
  return useQuery<CallOutput<C>, AppError>({
    queryKey: queryKeyOf(channel, input),
    queryFn: input === null ? skipToken : () => call(channel, input).catch((e: unknown) => Promise.reject(toAppError(e))),
    placeholderData: options.keepPrevious === false ? undefined : keepPreviousData,
  });
}

export interface MutationOptions<C extends Channel> {
  /** The toast after a save, from its value; none when absent. */
  success?: (value: CallOutput<C>, input: CallInput<C>) => string | null;
  /** After the save and the toast: close the dialog, clear the form. */
  onDone?: (value: CallOutput<C>, input: CallInput<C>) => void;
  /** Contract paths stripped from field names, so `patient.name` lands on the form's `name`. */
  prefixes?: readonly string[];
  /** Checked in the screen with the contract's own schema before the call, so the field errors match. */
  schema?: z.ZodType;
  /** After a refusal is shown: a form that answers some refusals with a question of its own (confirm an extreme value). */
  onRefused?: (err: AppError) => void;
}

/**
 * One write, with the sequence every form needs: busy while it runs; the contract's field errors on
 * their fields (or one form-level message); a toast and the form's own follow-up. The cache refreshes
 * itself after the commit (QueryProvider), so every screen shows what the core now holds.
 */
export function useApiMutation<C extends Channel>(channel: C, options: MutationOptions<C> = {}) {
  const { t, errorText } = useI18n();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const mutation = useMutation<CallOutput<C>, AppError, CallInput<C>>({
    mutationFn: (input) => call(channel, input).catch((e: unknown) => Promise.reject(toAppError(e))),
  });

  const showError = (err: AppError) => {
    const issues = issuesOf(err);
    setErrors(issues.length > 0 ? fieldErrors(issues, t, options.prefixes) : { _form: errorText(err) });
    options.onRefused?.(err);
  };

  /** Runs the call; resolves to its value, or to undefined when it was refused (the errors are shown). */
  const submit = async (input: CallInput<C>): Promise<CallOutput<C> | undefined> => {
    if (options.schema) {
      const checked = precheck(options.schema, input);
      if (!checked.ok) {
        setErrors(fieldErrors(checked.issues, t, options.prefixes));
        return undefined;
      }
    }
    setErrors({});
    try {
      const value = await mutation.mutateAsync(input);
      const message = options.success?.(value, input);
      if (message) notifications.show({ id: 'echelon-saved', color: 'teal', message });
      options.onDone?.(value, input);
      return value;
    } catch (err) {
      showError(toAppError(err));
      return undefined;
    }
  };

  return { submit, busy: mutation.isPending, errors, setErrors, showError };
}
