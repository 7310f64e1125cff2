import { Alert, Button, Group, Text } from '@mantine/core';
import { useI18n } from '../lib/i18n';

/** A version someone else saved while the editor was open: what to say, and how to start again from it. */
export interface NewerVersion {
  message: string;
  loadLabel: string;
  onLoad: () => void;
  testId: string;
  loadTestId?: string;
}

interface Props {
  newer: NewerVersion | null;
  formError: string | null;
  busy: boolean;
  onSave: () => void;
  saveLabel: string;
  saveTestId: string;
  onCancel: () => void;
}

/**
 * The foot of an editor of versioned records (the plan, the medicine list, the antiviral profile): a
 * newer version saved meanwhile, never overwritten, with a button to start from it; the refusal that
 * belongs to no field; save and cancel.
 */
export function VersionedEditorFooter({ newer, formError, busy, onSave, saveLabel, saveTestId, onCancel }: Props) {
  const { t } = useI18n();
  return (
    <>
      {newer && (
        <Alert color="orange" role="alert" data-testid={newer.testId}>
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm">{newer.message}</Text>
            <Button size="xs" variant="light" onClick={newer.onLoad} data-testid={newer.loadTestId}>
              {newer.loadLabel}
            </Button>
          </Group>
        </Alert>
      )}
      {formError && (
        <Alert color="red" role="alert">
          {formError}
        </Alert>
      )}
      <Group>
        <Button onClick={onSave} loading={busy} data-testid={saveTestId}>
          {saveLabel}
        </Button>
        <Button variant="default" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </Group>
    </>
  );
}
