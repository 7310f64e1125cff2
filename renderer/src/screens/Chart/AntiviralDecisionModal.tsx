import { useState } from 'react';
import { Alert, Button, Group, Modal, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { ANTIVIRAL_DECISIONS, DecideAntiviralSchema, type AntiviralDecision, type AntiviralView, type ClashOut, type OptionProposalOut } from '../../../../shared/api/antiviral';
import { localDate } from '../../../../shared/domain/time';
import { AppError } from '../../../../shared/errors';
import { useApiForm } from '../../lib/apiForm';
import { useI18n } from '../../lib/i18n';
import { ConflictAlert } from '../../components/ConflictAlert';
import { DateField } from '../../components/dates/DateFields';
import { BOOSTED_OPTION, ClashList, StatusBadge, bySeverity, doseText } from '../../components/antiviral/parts';

/** What the doctor was shown when the dialog opened: a decision is checked against it, never against a later view. */
interface Shown {
  proposal: OptionProposalOut;
  tableVersion: string;
  planVersion: number;
  clashes: AntiviralView['interactions']['clashes'];
}

const shownOf = (view: AntiviralView, option: OptionProposalOut['option']): Shown | null => {
  const proposal = view.proposal.options.find((o) => o.option === option);
  return proposal ? { proposal, tableVersion: view.interactions.tableVersion, planVersion: view.planVersion, clashes: view.interactions.clashes } : null;
};

/** Whether the decision goes against the rules' proposal, which makes the reason required. */
export function againstProposal(decision: AntiviralDecision, status: OptionProposalOut['status']): boolean {
  return decision === 'start' ? status !== 'eligible' : status === 'eligible';
}

/**
 * 用药决定: start or not, the first day, and the reason — required when the decision goes against the
 * proposal, and, to start nirmatrelvir/ritonavir against a contraindicated interaction, a second reason
 * saying how the clash is handled, with the clashes listed above it.
 */
export function AntiviralDecisionModal({
  view,
  option,
  timeZone,
  onClose,
  onReload,
}: {
  view: AntiviralView;
  option: OptionProposalOut['option'];
  timeZone: string;
  onClose: () => void;
  onReload: () => Promise<{ data?: AntiviralView }>;
}) {
  const { t, errorText } = useI18n();
  const [shown, setShown] = useState(() => shownOf(view, option));
  const [conflict, setConflict] = useState<string | null>(null);
  const today = localDate(new Date(), timeZone);
  const initialDecision: AntiviralDecision = shown?.proposal.status === 'eligible' ? 'start' : 'not_start';
  const { form, save, busy, formError } = useApiForm('antiviral:decide', {
    initialValues: { decision: initialDecision, startDate: today, reason: '', clashReason: '' },
    toInput: (v) => ({
      episodeId: view.episodeId,
      option,
      decision: v.decision,
      shownStatus: shown?.proposal.status ?? 'unknown',
      tableVersion: shown?.tableVersion ?? view.interactions.tableVersion,
      basePlanVersion: shown?.planVersion ?? view.planVersion,
      startDate: v.decision === 'start' ? v.startDate || null : null,
      reason: v.reason,
      clashReason: v.decision === 'start' && option === BOOSTED_OPTION ? v.clashReason : null,
    }),
    schema: DecideAntiviralSchema,
    success: (_r, input) => t(`antiviral_ui.modal.saved.${input.decision}`, { option: t(`antiviral.option.${option}`) }),
    onDone: onClose,
    onRefused: (err: AppError) => setConflict(err.code === 'CONFLICT' ? errorText(err) : null),
  });
  if (!shown) return null;
  const decision = form.values.decision;
  const start = decision === 'start';
  const reasonRequired = againstProposal(decision, shown.proposal.status);
  const clashes = option === BOOSTED_OPTION ? bySeverity(shown.clashes) : [];
  const contraindicated = clashes.filter((c) => c.severity === 'contraindicated');
  const others = clashes.filter((c) => c.severity !== 'contraindicated');
  const loadCurrent = async () => {
    const r = await onReload();
    if (r.data) setShown(shownOf(r.data, option));
    setConflict(null);
  };
  // After a reload the dialog is checked against what is shown now.
  const current = shownOf(view, option);
  const stale = current !== null && (current.proposal.status !== shown.proposal.status || current.planVersion !== shown.planVersion || current.tableVersion !== shown.tableVersion);

  return (
    <Modal opened onClose={onClose} size="lg" title={t('antiviral_ui.modal.title', { option: t(`antiviral.option.${option}`) })}>
      <form
        noValidate
        data-testid="antiviral-decision"
        onSubmit={(ev) => {
          ev.preventDefault();
          void save();
        }}
      >
        <Stack gap="sm">
          <Group gap="xs">
            <Text size="sm">{t('antiviral_ui.modal.proposal')}</Text>
            <StatusBadge status={shown.proposal.status} t={t} />
            {shown.proposal.dose && (
              <Text size="sm" c="dimmed">
                {t('antiviral_ui.modal.dose', { dose: doseText(shown.proposal.dose, t) })}
              </Text>
            )}
          </Group>
          <Text size="xs" c="dimmed">
            {t('antiviral_ui.rules_propose')}
          </Text>
          <SegmentedControl
            fullWidth
            aria-label={t('antiviral_ui.modal.decision')}
            data={ANTIVIRAL_DECISIONS.map((d) => ({ value: d, label: t(`antiviral_ui.decision.${d}`) }))}
            value={decision}
            onChange={(v) => form.setFieldValue('decision', ANTIVIRAL_DECISIONS.find((d) => d === v) ?? 'not_start')}
            data-testid="decision-choice"
          />
          {start && (
            <DateField
              label={t('antiviral_ui.modal.start_date')}
              required
              value={form.values.startDate}
              onChange={(v) => form.setFieldValue('startDate', v)}
              error={form.errors.startDate}
              data-testid="decision-start-date"
            />
          )}
          {start && <DecisionClashes contraindicated={contraindicated} others={others} />}
          {start && contraindicated.length > 0 && (
            <Textarea
              label={t('antiviral_ui.modal.clash_reason')}
              placeholder={t('antiviral_ui.modal.clash_reason_hint')}
              required
              autosize
              minRows={2}
              maxLength={500}
              {...form.getInputProps('clashReason')}
              data-testid="decision-clash-reason"
            />
          )}
          <Textarea
            label={t('antiviral_ui.modal.reason')}
            description={reasonRequired ? t('antiviral_ui.modal.reason_required') : t('antiviral_ui.modal.reason_optional')}
            required={reasonRequired}
            autosize
            minRows={2}
            maxLength={500}
            {...form.getInputProps('reason')}
            data-testid="decision-reason"
          />
          {conflict && <ConflictAlert message={conflict} onLoadCurrent={() => void loadCurrent()} />}
          {stale && !conflict && (
            <Alert color="orange" role="alert">
              <Group justify="space-between" wrap="nowrap">
                <Text size="sm">{t('antiviral_ui.modal.changed', { status: current ? t(`antiviral.status.${current.proposal.status}`) : '' })}</Text>
                <Button size="xs" variant="light" color="orange" onClick={() => setShown(current)}>
                  {t('antiviral_ui.modal.reload')}
                </Button>
              </Group>
            </Alert>
          )}
          {formError && !conflict && (
            <Alert color="red" role="alert">
              {formError}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy} color={start && contraindicated.length > 0 ? 'red' : undefined} data-testid="decision-save">
              {t('antiviral_ui.modal.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Starting nirmatrelvir/ritonavir: the contraindicated clashes in red above the reason they demand, then the rest. */
function DecisionClashes({ contraindicated, others }: { contraindicated: ClashOut[]; others: ClashOut[] }) {
  const { t, locale } = useI18n();
  if (contraindicated.length === 0) return others.length > 0 ? <ClashList clashes={others} t={t} locale={locale} /> : null;
  return (
    <Alert color="red" variant="light" title={t('antiviral_ui.modal.clash_title')} data-testid="decision-clashes">
      <Stack gap={6}>
        <ClashList clashes={contraindicated} t={t} locale={locale} />
        {others.length > 0 && (
          <>
            <Text size="sm">{t('antiviral_ui.modal.other_clashes')}</Text>
            <ClashList clashes={others} t={t} locale={locale} />
          </>
        )}
      </Stack>
    </Alert>
  );
}
