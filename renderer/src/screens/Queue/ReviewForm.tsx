import { useState } from 'react';
import { Button, Group, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { ReviewAmendSchema, ReviewInputSchema, TIER_DECISIONS, TRANSFER_DECISIONS, type Review } from '../../../../shared/api/reviews';
import { REVIEW_DECISIONS, TIER_CODES, type ReviewDecision, type TierCode } from '../../../../shared/domain/clinical';
import { getRuleSet, type ClinicalClass } from '../../../../shared/clinical';
import { fromLocal, toLocalInput } from '../../../../shared/domain/time';
import { useI18n } from '../../lib/i18n';
import { useApiMutation } from '../../lib/query';
import { FormError } from '../../components/FormError';

export interface ReviewSubject {
  episodeId: number;
  tier: string | null;
  currentClass: string | null;
  proposedClass: string | null;
  riskFactors: readonly string[];
  facilityKind: 'designated' | 'fangcang' | 'isolation';
}

const HOUR = 3_600_000;
const tierIndex = (t: string | null) => (t ? TIER_CODES.indexOf(t as TierCode) : -1);

/** The tier a decision suggests: the rule's proposal where it points the same way, else one step. */
export function suggestedTier(decision: ReviewDecision, s: ReviewSubject): TierCode | null {
  const cls = (s.currentClass ?? s.proposedClass ?? 'mild') as ClinicalClass;
  const proposal = getRuleSet().proposeTier({ clinicalClass: cls, hasRiskFactors: s.riskFactors.length > 0, facilityKind: s.facilityKind }).tier;
  const now = tierIndex(s.tier);
  switch (decision) {
    case 'escalate_tier':
      return tierIndex(proposal) > now ? proposal : (TIER_CODES[Math.min(4, now + 1)] ?? 'T3');
    case 'step_down':
      return tierIndex(proposal) < now ? proposal : (TIER_CODES[Math.max(0, now - 1)] ?? 'T1');
    case 'transfer_designated':
      return tierIndex(proposal) >= 2 ? proposal : 'T3';
    case 'transfer_icu':
      return 'T5';
    default:
      return null;
  }
}

const asTier = (v: string | null): TierCode | null => TIER_CODES.find((c) => c === v) ?? null;

interface Values {
  decision: ReviewDecision;
  tier: TierCode | null;
  note: string;
  nextReviewDue: string;
  planChange: string;
  planGoals: string;
  reason: string;
}

/**
 * The decision: one click on a decision fills in the tier it implies and the next review (24 h),
 * the note is required for transfers (the reason the receiving hospital reads). Signing saves it;
 * an amendment replaces a signed review and needs a reason. Nothing is written on a field error.
 */
export function ReviewForm({ subject, tz, amend, onSaved, onCancel }: { subject: ReviewSubject; tz: string; amend?: Review; onSaved: () => void; onCancel?: () => void }) {
  const { t } = useI18n();
  const saved = (_: unknown, input: { decision: ReviewDecision }) => t(amend ? 'review.amended' : 'review.saved', { decision: t(`review.decision.${input.decision}`) });
  const record = useApiMutation('reviews:record', { schema: ReviewInputSchema, success: saved, onDone: onSaved });
  const amendCall = useApiMutation('reviews:amend', { schema: ReviewAmendSchema, success: saved, onDone: onSaved });
  const { busy, errors, setErrors } = amend ? amendCall : record;
  const [v, setV] = useState<Values>(() => ({
    decision: amend?.decision ?? 'continue',
    tier: asTier(amend ? amend.tierAfter : subject.tier),
    note: amend?.note ?? '',
    nextReviewDue: amend?.nextReviewDue ? toLocalInput(amend.nextReviewDue, tz) : toLocalInput(Date.now() + 24 * HOUR, tz),
    planChange: '',
    planGoals: '',
    reason: '',
  }));
  const set = <K extends keyof Values>(k: K, value: Values[K]) => {
    setV((x) => ({ ...x, [k]: value }));
    // Editing a field clears its error; the others stay until the next submit.
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([field]) => field !== k)));
  };
  const choose = (d: ReviewDecision) =>
    setV((x) => ({
      ...x,
      decision: d,
      // Decisions that keep the tier show the current one; the others propose the tier they imply.
      tier: TIER_DECISIONS.includes(d) ? suggestedTier(d, subject) : asTier(subject.tier),
      nextReviewDue: d === 'ready_for_discharge' ? '' : x.nextReviewDue || toLocalInput(Date.now() + 24 * HOUR, tz),
    }));

  const submit = () => {
    let due: string | null = null;
    if (v.nextReviewDue.trim() !== '') {
      try {
        due = fromLocal(v.nextReviewDue, tz);
      } catch (err) {
        if (!(err instanceof RangeError)) throw err;
        due = v.nextReviewDue;
      }
    }
    const fields = { decision: v.decision, note: v.note, tier: v.tier, nextReviewDue: due, planChange: v.planChange, planGoals: v.planGoals };
    if (amend) void amendCall.submit({ reviewId: amend.id, reason: v.reason, ...fields });
    else void record.submit({ episodeId: subject.episodeId, ...fields });
  };

  const transfer = TRANSFER_DECISIONS.includes(v.decision);
  return (
    <Stack gap="sm" data-testid="review-form">
      <FormError message={errors._form} />
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {t('review.decision')}
        </Text>
        <SegmentedControl
          fullWidth
          size="md"
          value={v.decision}
          onChange={(d) => choose(REVIEW_DECISIONS.find((x) => x === d) ?? 'continue')}
          data={REVIEW_DECISIONS.map((d) => ({ value: d, label: t(`review.decision.${d}`) }))}
          aria-label={t('review.decision')}
        />
        {errors.decision && (
          <Text size="sm" c="red">
            {errors.decision}
          </Text>
        )}
      </Stack>
      <SimpleGrid cols={2}>
        <Select
          label={t('review.tier_after')}
          description={subject.tier ? t('review.tier_now', { tier: t(`tier.${subject.tier}`) }) : t('panel.tier_none')}
          data={TIER_CODES.map((c) => ({ value: c, label: t(`tier.${c}`) }))}
          value={v.tier}
          onChange={(x) => set('tier', asTier(x))}
          clearable={!TIER_DECISIONS.includes(v.decision)}
          error={errors.tier}
        />
        <TextInput
          type="datetime-local"
          label={t('review.next_due')}
          description={t('review.next_due_hint')}
          value={v.nextReviewDue}
          onChange={(e) => set('nextReviewDue', e.currentTarget.value)}
          error={errors.nextReviewDue}
        />
      </SimpleGrid>
      <Textarea
        label={transfer ? t('review.note_transfer') : t('review.note')}
        required={transfer}
        autosize
        minRows={2}
        value={v.note}
        onChange={(e) => set('note', e.currentTarget.value)}
        error={errors.note}
      />
      <SimpleGrid cols={2}>
        <Textarea
          label={t('review.plan_change')}
          placeholder={t('review.plan_change_hint')}
          autosize
          minRows={2}
          value={v.planChange}
          onChange={(e) => set('planChange', e.currentTarget.value)}
          error={errors.planChange}
        />
        <Textarea label={t('review.plan_goals')} autosize minRows={2} value={v.planGoals} onChange={(e) => set('planGoals', e.currentTarget.value)} error={errors.planGoals} />
      </SimpleGrid>
      {transfer && (
        <Text size="sm" c="dimmed">
          {t(v.decision === 'transfer_icu' ? 'review.transfer_icu_hint' : 'review.transfer_designated_hint')}
        </Text>
      )}
      {amend && (
        <Textarea label={t('review.amend_reason')} required autosize minRows={1} value={v.reason} onChange={(e) => set('reason', e.currentTarget.value)} error={errors.reason} />
      )}
      <Group justify="flex-end">
        {onCancel && (
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        )}
        <Button size="md" onClick={() => void submit()} loading={busy}>
          {amend ? t('review.sign_amend') : t('review.sign')}
        </Button>
      </Group>
    </Stack>
  );
}
