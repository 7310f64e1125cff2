import { Alert, Button, Group, Modal, Radio, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { ESCALATION_RESPONSES, EscalateSchema } from '../../../../shared/api/rounds';
import { useI18n } from '../../lib/i18n';
import { useApiForm } from '../../lib/apiForm';

export interface EscalationDue {
  roundId: number;
  level: 'urgent' | 'emergency';
  total: number;
}

type Response = (typeof ESCALATION_RESPONSES)[number];

/**
 * The step a score that calls for a clinical response stops on (RCP 2017 Chart 4: urgent at 5–6 or a
 * single 3, emergency at 7 or more): it cannot be dismissed, only answered — who was informed, referred
 * to the panel, or already under review. The answer is recorded with the round (rounds:escalate).
 */
export function EscalationStep({ due, onAnswered }: { due: EscalationDue | null; onAnswered: () => void }) {
  const { t } = useI18n();
  const f = useApiForm('rounds:escalate', {
    initialValues: { response: null as Response | null, informedWho: '', note: '' },
    // Never sent without a response: submit refuses that first.
    toInput: (v) => ({ roundId: due?.roundId ?? 0, response: v.response!, informedWho: v.response === 'doctor_informed' ? v.informedWho : '', note: v.note }),
    schema: EscalateSchema,
    onDone: () => {
      f.form.reset();
      onAnswered();
    },
  });
  const { form, busy, formError } = f;
  const response = form.values.response;

  const submit = async () => {
    if (!due) return;
    if (form.getValues().response === null) {
      f.clear();
      form.setErrors({ response: t('validation.required') });
      return;
    }
    await f.save();
  };

  const emergency = due?.level === 'emergency';
  return (
    <Modal
      opened={due !== null}
      onClose={() => undefined}
      withCloseButton={false}
      closeOnEscape={false}
      closeOnClickOutside={false}
      centered
      size="lg"
      title={
        <Group gap="xs" wrap="nowrap">
          <IconAlertTriangle color={`var(--mantine-color-${emergency ? 'red' : 'orange'}-7)`} aria-hidden />
          <Text fw={700} size="lg" c={emergency ? 'red' : 'orange'}>
            {due ? t(`escalation.title.${due.level}`, { total: due.total }) : ''}
          </Text>
        </Group>
      }
    >
      <form
        data-testid="escalation-step"
        data-level={due?.level}
        noValidate
        onSubmit={(e) => {
          // The modal is portalled, but React events still bubble to the round form that opened it.
          e.preventDefault();
          e.stopPropagation();
          void submit();
        }}
        onKeyDown={(e) => e.stopPropagation()}
      >
        <Stack gap="sm">
          <Alert color={emergency ? 'red' : 'orange'} variant="light" py={6}>
            {due ? t(`escalation.intro.${due.level}`) : ''}
          </Alert>
          <Radio.Group
            label={t('escalation.response')}
            value={response}
            onChange={(x) => {
              // A changed answer clears every message: they were about the answer before.
              form.setFieldValue('response', ESCALATION_RESPONSES.find((r) => r === x) ?? null);
              f.clear();
            }}
            error={form.errors.response}
            required
          >
            <Stack gap={6} mt={4}>
              {ESCALATION_RESPONSES.map((r, i) => (
                <Radio key={r} value={r} label={t(`escalation.response.${r}`)} data-autofocus={i === 0 ? true : undefined} />
              ))}
            </Stack>
          </Radio.Group>
          {response === 'doctor_informed' && (
            <TextInput
              label={t('escalation.informed_who')}
              description={t('escalation.informed_who_hint')}
              value={form.values.informedWho}
              onChange={(e) => (form.setFieldValue('informedWho', e.currentTarget.value), f.clear())}
              error={form.errors.informedWho}
              data-field="informedWho"
              required
            />
          )}
          <TextInput label={t('escalation.note')} {...form.getInputProps('note')} maxLength={500} />
          {formError && (
            <Alert color="red" role="alert" py={6}>
              {formError}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button type="submit" color={emergency ? 'red' : 'orange'} loading={busy} data-testid="escalation-confirm">
              {t('escalation.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
