import { useState } from 'react';
import { Alert, Badge, Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconEyeOff } from '@tabler/icons-react';
import { NOT_DONE_REASONS, RecordNotDoneSchema, type RoundWard } from '../../../../shared/api/rounds';
import { formatLocal } from '../../../../shared/domain/time';
import { useI18n } from '../../lib/i18n';
import { useApiForm } from '../../lib/apiForm';
import { News2Badge } from '../../components/clinical';
import { EscalationStep } from '../../components/rounds/EscalationStep';

type Patient = RoundWard['beds'][number];
type Reason = (typeof NOT_DONE_REASONS)[number];

/**
 * A bed's score in the round's bed list: the coloured NEWS2 badge ("NEWS2 —" when nothing was
 * measured), an unanswered escalation, and observations recorded as not taken with the reason.
 */
export function BedListScore({ bed }: { bed: Patient }) {
  const { t } = useI18n();
  return (
    <Stack gap={2} align="flex-start" mt={2}>
      <News2Badge total={bed.news2Total} band={bed.news2Band} complete={bed.news2Complete} t={t} size="xs" />
      {bed.escalation && (
        <Badge
          size="xs"
          color={bed.escalation.level === 'emergency' ? 'red' : 'orange'}
          variant="filled"
          leftSection={<IconAlertTriangle size={10} />}
          data-testid="bed-escalation"
          maw="100%"
          title={t(`escalation.pending.${bed.escalation.level}`, { total: bed.escalation.news2Total })}
        >
          {t(`escalation.pending.${bed.escalation.level}`, { total: bed.escalation.news2Total })}
        </Badge>
      )}
      {bed.notDone && (
        <Text size="xs" c="dimmed" data-testid="bed-not-done">
          {t('notdone.short', { reason: t(`notdone.reason.${bed.notDone.reason}`) })}
        </Text>
      )}
    </Stack>
  );
}

/**
 * Under the current bed's header: its unanswered escalation (answered here, which acknowledges the
 * alert on the ward board too), and "Not measured" to record why observations were not taken, after
 * which the bed counts as done.
 */
export function BedSafetyBar({ bed, timeZone, onNotDone }: { bed: Patient; timeZone: string; onNotDone: () => void }) {
  const { t } = useI18n();
  const [answering, setAnswering] = useState(false);
  const [notDone, setNotDone] = useState(false);
  const e = bed.escalation;
  const notDoneForm = useApiForm('rounds:recordNotDone', {
    initialValues: { reason: null as Reason | null, note: '' },
    // A missing reason reaches the contract's schema as null, which refuses it on its field before any call.
    toInput: (v) => ({ episodeId: bed.episodeId, reason: v.reason!, note: v.note }),
    schema: RecordNotDoneSchema,
    onDone: () => {
      setNotDone(false);
      notDoneForm.form.reset();
      onNotDone();
    },
  });
  const { form, busy, formError } = notDoneForm;

  return (
    <>
      <Group gap="xs" wrap="wrap">
        {e && (
          <Alert
            color={e.level === 'emergency' ? 'red' : 'orange'}
            variant="filled"
            py={4}
            px="xs"
            icon={<IconAlertTriangle size={16} />}
            style={{ flex: '1 1 20rem', minWidth: 0 }}
            data-testid="current-escalation"
          >
            <Group justify="space-between" wrap="nowrap" gap="xs">
              <Text size="sm" fw={600} style={{ minWidth: 0 }}>
                {t(`escalation.title.${e.level}`, { total: e.news2Total })} · {t('escalation.pending_hint', { at: formatLocal(e.measuredAt, timeZone) })}
              </Text>
              <Button
                size="compact-sm"
                variant="white"
                color={e.level === 'emergency' ? 'red' : 'orange'}
                onClick={() => setAnswering(true)}
                data-testid="answer-escalation"
                style={{ flexShrink: 0 }}
              >
                {t('escalation.answer')}
              </Button>
            </Group>
          </Alert>
        )}
        <Button
          variant="light"
          color="gray"
          size="compact-md"
          leftSection={<IconEyeOff size={16} />}
          onClick={() => setNotDone(true)}
          data-testid="not-done"
          ml="auto"
          style={{ flexShrink: 0 }}
        >
          {t('notdone.button')}
        </Button>
      </Group>
      <EscalationStep due={answering && e ? { roundId: e.roundId, level: e.level, total: e.news2Total } : null} onAnswered={() => setAnswering(false)} />
      <Modal opened={notDone} onClose={() => setNotDone(false)} title={t('notdone.title')} centered>
        <form
          noValidate
          data-testid="not-done-form"
          onKeyDown={(ev) => ev.stopPropagation()}
          onSubmit={(ev) => {
            ev.preventDefault();
            ev.stopPropagation();
            void notDoneForm.save();
          }}
        >
          <Stack gap="sm">
            <Select
              label={t('notdone.reason')}
              data={NOT_DONE_REASONS.map((r) => ({ value: r, label: t(`notdone.reason.${r}`) }))}
              value={form.values.reason}
              onChange={(x) => (form.setFieldValue('reason', NOT_DONE_REASONS.find((r) => r === x) ?? null), notDoneForm.clear())}
              error={form.errors.reason}
              allowDeselect={false}
              data-autofocus
              required
            />
            <TextInput label={t('notdone.note')} {...form.getInputProps('note')} maxLength={500} />
            {formError && (
              <Alert color="red" role="alert" py={6}>
                {formError}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button type="submit" loading={busy}>
                {t('notdone.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
