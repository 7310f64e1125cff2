import { useForm, type UseFormReturnType } from '@mantine/form';
import type { z } from 'zod';
import type { Channel } from './can';
import { fieldErrors, issuesOf, precheck } from './formErrors';
import { useI18n } from './i18n';
import { useApiMutation, type CallInput, type MutationOptions } from './query';

export interface ApiFormOptions<C extends Channel, V extends Record<string, unknown>> extends Omit<MutationOptions<C>, 'schema'> {
  initialValues: V;
  /** The values as the contract takes them. */
  toInput: (values: V) => CallInput<C>;
  /** Checked before the call with the contract's own schema, so the field errors match the core's. */
  schema?: z.ZodType;
}

/**
 * One form style for the screens: the values in @mantine/form, the save through useApiMutation.
 * Field errors (the screen's precheck or the core's refusal) land on the form's fields, where typing
 * clears them; a refusal without a field is `formError`, one message above the buttons.
 */
export function useApiForm<C extends Channel, V extends Record<string, unknown>>(channel: C, options: ApiFormOptions<C, V>) {
  const { t } = useI18n();
  const form: UseFormReturnType<V> = useForm<V>({ initialValues: options.initialValues });
  const mutation = useApiMutation(channel, {
    ...options,
    onRefused: (err) => {
      const issues = issuesOf(err);
      if (issues.length > 0) form.setErrors(fieldErrors(issues, t, options.prefixes));
      options.onRefused?.(err);
    },
  });
  /** Runs the save with the values now (or given ones); resolves to the value, or undefined when refused. */
  const save = (values: V = form.getValues()) => {
    const input = options.toInput(values);
    if (options.schema) {
      const checked = precheck(options.schema, input);
      if (!checked.ok) {
        mutation.setErrors({});
        form.setErrors(fieldErrors(checked.issues, t, options.prefixes));
        return Promise.resolve(undefined);
      }
    }
    form.clearErrors();
    return mutation.submit(input);
  };
  return {
    form,
    save,
    /** For <form onSubmit>: prevents the page submit, then saves. */
    onSubmit: form.onSubmit((values) => void save(values)),
    busy: mutation.busy,
    formError: mutation.errors._form ?? null,
    /** Back to an empty message and no field errors (a cancelled edit). */
    clear: () => {
      form.clearErrors();
      mutation.setErrors({});
    },
  };
}
