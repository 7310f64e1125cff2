import { useState } from 'react';
import { Badge, Button, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import type { Review } from '../../../../shared/api/reviews';
import { formatLocal } from '../../../../shared/domain/time';
import { useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { ErrorPanel } from '../../components/ErrorPanel';
import { DecisionBadge } from '../../components/clinical';
import { ReviewForm, type ReviewSubject } from './ReviewForm';

/**
 * An episode's reviews, newest first. Signed reviews never change: a superseded version stays,
 * struck through, under the amendment that replaced it (with its reason).
 */
export function ReviewHistory({ episodeId, tz, canAmend, subject }: { episodeId: number; tz: string; canAmend: boolean; subject: ReviewSubject }) {
  const { t } = useI18n();
  const list = useApiQuery('reviews:list', { episodeId });
  const [amending, setAmending] = useState<number | null>(null);
  if (list.error) return <ErrorPanel error={list.error} onRetry={() => void list.refetch()} />;
  if (!list.data) return <Loader size="sm" />;
  if (list.data.length === 0)
    return (
      <Text c="dimmed" size="sm">
        {t('review.none')}
      </Text>
    );
  return (
    <Stack gap={6} data-testid="review-history">
      {list.data.map((r) => (
        <Paper key={r.id} withBorder p="xs" style={r.superseded || r.entryKind === 'entered_in_error' ? { opacity: 0.6 } : undefined}>
          <ReviewLine review={r} tz={tz} />
          {canAmend && !r.superseded && r.entryKind !== 'entered_in_error' && amending !== r.id && (
            <Group justify="flex-end">
              <Button size="compact-xs" variant="subtle" onClick={() => setAmending(r.id)}>
                {t('review.amend')}
              </Button>
            </Group>
          )}
          {amending === r.id && <ReviewForm subject={subject} tz={tz} amend={r} onCancel={() => setAmending(null)} onSaved={() => setAmending(null)} />}
        </Paper>
      ))}
    </Stack>
  );
}

export function ReviewLine({ review: r, tz }: { review: Review; tz: string }) {
  const { t } = useI18n();
  const struck = r.superseded ? { textDecoration: 'line-through' } : undefined;
  return (
    <Stack gap={2}>
      <Group gap="xs" wrap="nowrap">
        <DecisionBadge decision={r.decision} t={t} />
        {r.tierAfter && r.tierAfter !== r.tierBefore && (
          <Badge variant="outline" color="indigo">
            {r.tierBefore ?? '—'} → {r.tierAfter}
          </Badge>
        )}
        {r.entryKind === 'amendment' && (
          <Badge color="yellow" variant="light">
            {t('review.amendment')}
          </Badge>
        )}
        {r.superseded && (
          <Badge color="gray" variant="light">
            {t('review.superseded')}
          </Badge>
        )}
        <Text size="sm" c="dimmed">
          {formatLocal(r.at, tz)} · {r.author}
        </Text>
      </Group>
      {r.note && (
        <Text size="sm" style={struck}>
          {r.note}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {t('review.opened_for', { flags: r.flags.map((f) => t(`flag.${f.code}`)).join(t('lists.sep')) || '—' })}
        {r.classAtReview ? ` · ${t('review.class_at', { cls: t(`class.${r.classAtReview}`) })}` : ''}
        {r.nextReviewDue ? ` · ${t('review.next_due_at', { at: formatLocal(r.nextReviewDue, tz) })}` : ''}
      </Text>
      {r.reason && (
        <Text size="xs" c="yellow.9">
          {t('review.amend_reason_line', { reason: r.reason })}
        </Text>
      )}
    </Stack>
  );
}
