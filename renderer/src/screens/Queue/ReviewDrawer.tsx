import { useEffect, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { Alert, Badge, Button, Divider, Drawer, Group, Paper, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import type { SessionUser } from '../../../../shared/api/auth';
import type { QueueRow } from '../../../../shared/api/queue';
import { SnoozeInputSchema } from '../../../../shared/api/queue';
import type { Flag } from '../../../../shared/api/reviews';
import { formatLocal } from '../../../../shared/domain/time';
import { can } from '../../lib/can';
import { useI18n } from '../../lib/i18n';
import { useNav } from '../../lib/nav';
import { useApiForm } from '../../lib/apiForm';
import { ClassBadge, flagText, News2Badge, News2Trend, TierBadge } from '../../components/clinical';
import { ReviewForm, type ReviewSubject } from './ReviewForm';
import { ReviewHistory } from './ReviewHistory';
import { AntiviralSummary } from '../../components/antiviral/AntiviralNotice';
import { clearDraft, draftKey, loadDraft, typedIn } from './draft';

/**
 * Closing with a typed, unsigned note asks first, in the drawer's decision bar (no second overlay over
 * the drawer): keep it as a draft (it comes back when the patient is opened again), discard it, or go
 * on typing (the default, and Esc).
 */
function DiscardQuestion({ onKeepEditing, onKeepDraft, onDiscard }: { onKeepEditing: () => void; onKeepDraft: () => void; onDiscard: () => void }) {
  const { t } = useI18n();
  const keepEditing = useRef<HTMLButtonElement>(null);
  useEffect(() => keepEditing.current?.focus(), []);
  return (
    <Paper
      role="alertdialog"
      aria-labelledby="review-discard-title"
      aria-describedby="review-discard-body"
      withBorder
      p="sm"
      mt="xs"
      className="review-discard"
      data-testid="review-discard"
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.stopPropagation();
        onKeepEditing();
      }}
    >
      <Text fw={600} id="review-discard-title">
        {t('review.discard_title')}
      </Text>
      <Text size="sm" id="review-discard-body" mb="xs">
        {t('review.discard_body')}
      </Text>
      <Group justify="flex-end" gap="xs">
        <Button color="red" variant="light" onClick={onDiscard}>
          {t('review.discard')}
        </Button>
        <Button variant="default" onClick={onKeepDraft}>
          {t('review.keep_draft')}
        </Button>
        <Button ref={keepEditing} onClick={onKeepEditing}>
          {t('review.keep_editing')}
        </Button>
      </Group>
    </Paper>
  );
}

/** The review drawer: why the patient is here, the trend, the plan and history, and the one-click decision. */
export function ReviewDrawer({ row: r, tz, user, onClose, onDone }: { row: QueueRow; tz: string; user: SessionUser; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const { go } = useNav();
  const canDecide = can(user, 'reviews:record');
  const canSnooze = can(user, 'queue:snooze');
  const [footer, setFooter] = useState<HTMLDivElement | null>(null);
  const [asking, setAsking] = useState(false);
  const draft = draftKey(user.username, r.episodeId);
  /** What the review rules read about this patient, for a new review and for amending an old one. */
  const subject: ReviewSubject = useMemo(
    () => ({
      episodeId: r.episodeId,
      tier: r.tier,
      currentClass: r.currentClass,
      proposedClass: r.proposedClass,
      riskFactors: r.riskFactors,
      facilityKind: r.facility.kind,
      facilityId: r.facility.id,
      wardId: r.ward.id,
      openTransfer: r.openTransfer !== null,
    }),
    [r],
  );
  const requestClose = () => {
    const typed = loadDraft(draft);
    if (canDecide && typed && typedIn(typed)) setAsking(true);
    else onClose();
  };
  return (
    <Drawer
      opened
      onClose={requestClose}
      closeOnEscape={!asking}
      position="right"
      size={860}
      classNames={{ content: 'review-drawer-content' }}
      title={
        <Group gap="sm">
          <Title order={3}>{r.name}</Title>
          <Text c="dimmed">
            {t(`sex.${r.sex}`)} · {r.ageYears === null ? t('common.unknown') : t('patient.age_years', { n: r.ageYears })} · {r.facility.name} · {r.ward.name}
            {r.bedLabel ? ` · ${r.bedLabel}` : ''} · {t('patient.day_of_stay', { n: r.dayOfStay })}
          </Text>
        </Group>
      }
    >
      <Stack gap="md" data-testid="review-drawer">
        <Group gap="sm" align="center">
          <ClassBadge cls={r.currentClass} proposed={r.proposedClass} t={t} />
          <TierBadge tier={r.tier} t={t} />
          <News2Badge total={r.news2Total} band={r.news2Band} complete={r.news2Complete} t={t} />
          <News2Trend values={r.news2Trend} band={r.news2Band} width={160} t={t} />
          <Button variant="subtle" size="compact-sm" onClick={() => go('chart', { episodeId: r.episodeId, patientId: r.patientId })}>
            {t('panel.open_chart')}
          </Button>
        </Group>
        {r.openTransfer && (
          <Alert color="orange" variant="light">
            {t('panel.transfer_open', { status: t(`transfer.status.${r.openTransfer.status}`), to: r.openTransfer.to.facility.name })}
          </Alert>
        )}

        <Paper withBorder p="sm">
          <Text fw={600} mb={4}>
            {t('panel.reasons')}
          </Text>
          <Stack gap={6}>
            {r.flags.map((f) => (
              <FlagRow key={f.code} flag={f} episodeId={r.episodeId} tz={tz} canSnooze={canSnooze} />
            ))}
          </Stack>
          {r.snoozed.length > 0 && (
            <Stack gap={2} mt="xs">
              {r.snoozed.map((s) => (
                <Text key={s.flagCode} size="xs" c="dimmed">
                  {t('panel.snoozed_line', { flag: t(`flag.${s.flagCode}`), until: formatLocal(s.until, tz), by: s.by, reason: s.reason })}
                </Text>
              ))}
            </Stack>
          )}
        </Paper>

        <SimpleGrid cols={2}>
          <Paper withBorder p="sm">
            <Text fw={600} mb={4}>
              {t('panel.risk_factors')}
            </Text>
            <Text size="sm">{r.riskFactors.length > 0 ? r.riskFactors.map((f) => t(`risk.${f}`)).join(t('lists.sep')) : t('panel.none')}</Text>
          </Paper>
          <Paper withBorder p="sm">
            <Text fw={600} mb={4}>
              {r.plan ? t('panel.plan_summary', { version: r.plan.version }) : t('panel.plan_none')}
            </Text>
            {r.plan && (
              <Stack gap={2}>
                <Text size="sm">{r.plan.goals ?? '—'}</Text>
                {r.plan.itemKinds.length > 0 && (
                  <Group gap={4}>
                    {r.plan.itemKinds.map((k) => (
                      <Badge key={k} variant="outline" size="sm">
                        {t(`panel.plan_item.${k}`)}
                      </Badge>
                    ))}
                  </Group>
                )}
                {r.plan.changeNote && (
                  <Text size="xs" c="dimmed">
                    {t('panel.plan_change_note', { note: r.plan.changeNote, at: formatLocal(r.plan.createdAt, tz) })}
                  </Text>
                )}
              </Stack>
            )}
          </Paper>
        </SimpleGrid>

        <AntiviralSummary episodeId={r.episodeId} />

        {canDecide ? (
          <Paper withBorder p="sm" shadow="xs">
            <Text fw={600} mb="xs">
              {t('review.title')}
            </Text>
            <ReviewForm subject={subject} tz={tz} onSaved={onDone} footer={footer} draft={draft} />
          </Paper>
        ) : (
          <Alert color="gray">{t('panel.decisions_by_panel')}</Alert>
        )}
        {/* The decision bar: sticks to the drawer's bottom edge while the form is above or below the fold. */}
        {canDecide && <div ref={setFooter} className="review-footer" />}

        <Divider label={t('review.history')} labelPosition="left" />
        <ReviewHistory episodeId={r.episodeId} tz={tz} canAmend={can(user, 'reviews:amend')} subject={subject} />
      </Stack>
      {asking &&
        footer &&
        createPortal(
          <DiscardQuestion
            onKeepEditing={() => setAsking(false)}
            onKeepDraft={onClose}
            onDiscard={() => {
              clearDraft(draft);
              onClose();
            }}
          />,
          footer,
        )}
    </Drawer>
  );
}

const SNOOZE_HOURS = [12, 24, 48, 72] as const;

function FlagRow({ flag, episodeId, tz, canSnooze }: { flag: Flag; episodeId: number; tz: string; canSnooze: boolean }) {
  const { t } = useI18n();
  const x = flagText(flag, t, tz);
  const [open, setOpen] = useState(false);
  const s = useApiForm('queue:snooze', {
    initialValues: { hours: '24', reason: '' },
    toInput: (v) => ({ episodeId, flagCode: flag.code, until: new Date(Date.now() + Number(v.hours) * 3_600_000).toISOString(), reason: v.reason }),
    schema: SnoozeInputSchema,
    success: () => t('panel.snoozed', { flag: t(`flag.${flag.code}`) }),
    onDone: () => setOpen(false),
  });
  return (
    <Stack gap={4} data-flag={flag.code}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <div>
          <Text size="sm" fw={600}>
            {x.reason}
          </Text>
          <Text size="sm" c="dimmed">
            {x.detail}
            {x.since ? ` · ${t('panel.since', { at: x.since })}` : ''}
          </Text>
        </div>
        {canSnooze && !open && (
          <Button size="compact-xs" variant="subtle" color="gray" onClick={() => setOpen(true)} style={{ flexShrink: 0 }}>
            {t('panel.snooze')}
          </Button>
        )}
      </Group>
      {open && (
        <Group align="flex-end" gap="xs" wrap="nowrap">
          <Select
            label={t('panel.snooze_for')}
            w={120}
            data={SNOOZE_HOURS.map((h) => ({ value: String(h), label: t('panel.hours', { n: h }) }))}
            value={s.form.values.hours}
            onChange={(v) => s.form.setFieldValue('hours', v ?? '24')}
            allowDeselect={false}
            error={s.form.errors.until}
          />
          <TextInput
            label={t('panel.snooze_reason')}
            required
            style={{ flex: 1 }}
            {...s.form.getInputProps('reason')}
            error={s.form.errors.reason ?? s.form.errors.flagCode ?? s.formError}
            data-autofocus
          />
          <Button onClick={() => void s.save()}>{t('panel.snooze_confirm')}</Button>
          <Button variant="default" onClick={() => setOpen(false)}>
            {t('common.cancel')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
