import type { UseFormReturnType } from '@mantine/form';
import { Button, Group, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { ReviewAmendSchema, ReviewInputSchema, TIER_DECISIONS, TRANSFER_DECISIONS, type Review } from '../../../../shared/api/reviews';
import { REVIEW_DECISIONS, TIER_CODES, type ReviewDecision, type TierCode } from '../../../../shared/domain/clinical';
import { getRuleSet, type ClinicalClass } from '../../../../shared/clinical';
import { toLocalInput } from '../../../../shared/domain/time';
import { useI18n } from '../../lib/i18n';
import { useApiForm } from '../../lib/apiForm';
import { FormError } from '../../components/FormError';
import { instantOf } from '../../components/localInstant';

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

interface Values extends Record<string, unknown> {
  decision: ReviewDecision;
  tier: TierCode | null;
  note: string;
  nextReviewDue: string;
  planChange: string;
  planGoals: string;
  reason: string;
}

interface ReviewFormProps {
  subject: ReviewSubject;
  tz: string;
  amend?: Review;
  onSaved: () => void;
  onCancel?: () => void;
}

const nextDayLocal = (tz: string) => toLocalInput(Date.now() + 24 * HOUR, tz);

/** A new review starts from the patient's tier and a review due in 24 h; an amendment from the review amended. */
function startingValues(subject: ReviewSubject, tz: string, amend?: Review): Values {
  return {
    decision: amend?.decision ?? 'continue',
    tier: asTier(amend ? amend.tierAfter : subject.tier),
    note: amend?.note ?? '',
    nextReviewDue: amend?.nextReviewDue ? toLocalInput(amend.nextReviewDue, tz) : nextDayLocal(tz),
    planChange: '',
    planGoals: '',
    reason: '',
  };
}

/** What a review records, new or amended; a due time that is not a date goes as typed, for the contract to refuse. */
function reviewFields(v: Values, tz: string) {
  const due = v.nextReviewDue.trim() === '' ? null : instantOf(v.nextReviewDue, tz);
  return { decision: v.decision, note: v.note, tier: v.tier, nextReviewDue: due, planChange: v.planChange, planGoals: v.planGoals };
}

/** The toast after signing, and the form's follow-up, shared by a new review and an amendment. */
function useSaved(amended: boolean, onSaved: () => void) {
  const { t } = useI18n();
  return {
    success: (_: unknown, input: { decision: ReviewDecision }) => t(amended ? 'review.amended' : 'review.saved', { decision: t(`review.decision.${input.decision}`) }),
    onDone: onSaved,
  };
}

/**
 * The decision: one click on a decision fills in the tier it implies and the next review (24 h),
 * the note is required for transfers (the reason the receiving hospital reads). Signing saves it;
 * an amendment replaces a signed review and needs a reason. Nothing is written on a field error.
 */
export function ReviewForm(props: ReviewFormProps) {
  return props.amend ? <AmendReviewForm {...props} amend={props.amend} /> : <RecordReviewForm {...props} />;
}

function RecordReviewForm({ subject, tz, onSaved, onCancel }: ReviewFormProps) {
  const f = useApiForm('reviews:record', {
    initialValues: startingValues(subject, tz),
    toInput: (v) => ({ episodeId: subject.episodeId, ...reviewFields(v, tz) }),
    schema: ReviewInputSchema,
    ...useSaved(false, onSaved),
  });
  return <ReviewFields f={f} subject={subject} tz={tz} onCancel={onCancel} />;
}

function AmendReviewForm({ subject, tz, amend, onSaved, onCancel }: ReviewFormProps & { amend: Review }) {
  const f = useApiForm('reviews:amend', {
    initialValues: startingValues(subject, tz, amend),
    toInput: (v) => ({ reviewId: amend.id, reason: v.reason, ...reviewFields(v, tz) }),
    schema: ReviewAmendSchema,
    ...useSaved(true, onSaved),
  });
  return <ReviewFields f={f} subject={subject} tz={tz} amend onCancel={onCancel} />;
}

interface ReviewFormState {
  form: UseFormReturnType<Values>;
  save: () => Promise<unknown>;
  busy: boolean;
  formError: string | null;
}

function ReviewFields({ f, subject, tz, amend = false, onCancel }: { f: ReviewFormState; subject: ReviewSubject; tz: string; amend?: boolean; onCancel?: () => void }) {
  const { t } = useI18n();
  const { form } = f;
  const v = form.values;
  const choose = (d: ReviewDecision) => {
    // Choosing a decision fills fields in; it is not an edit of them, so their errors stay until the next signing.
    const errors = form.errors;
    form.setValues((x) => ({
      decision: d,
      // Decisions that keep the tier show the current one; the others propose the tier they imply.
      tier: TIER_DECISIONS.includes(d) ? suggestedTier(d, subject) : asTier(subject.tier),
      nextReviewDue: d === 'ready_for_discharge' ? '' : x.nextReviewDue || nextDayLocal(tz),
    }));
    form.setErrors(errors);
  };

  const transfer = TRANSFER_DECISIONS.includes(v.decision);
  return (
    <Stack gap="sm" data-testid="review-form">
      <FormError message={f.formError} />
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
        {form.errors.decision && (
          <Text size="sm" c="red">
            {form.errors.decision}
          </Text>
        )}
      </Stack>
      <SimpleGrid cols={2}>
        <Select
          label={t('review.tier_after')}
          description={subject.tier ? t('review.tier_now', { tier: t(`tier.${subject.tier}`) }) : t('panel.tier_none')}
          data={TIER_CODES.map((c) => ({ value: c, label: t(`tier.${c}`) }))}
          {...form.getInputProps('tier')}
          onChange={(x) => form.setFieldValue('tier', asTier(x))}
          clearable={!TIER_DECISIONS.includes(v.decision)}
        />
        <TextInput type="datetime-local" label={t('review.next_due')} description={t('review.next_due_hint')} {...form.getInputProps('nextReviewDue')} />
      </SimpleGrid>
      <Textarea label={transfer ? t('review.note_transfer') : t('review.note')} required={transfer} autosize minRows={2} {...form.getInputProps('note')} />
      <SimpleGrid cols={2}>
        <Textarea label={t('review.plan_change')} placeholder={t('review.plan_change_hint')} autosize minRows={2} {...form.getInputProps('planChange')} />
        <Textarea label={t('review.plan_goals')} autosize minRows={2} {...form.getInputProps('planGoals')} />
      </SimpleGrid>
      {transfer && (
        <Text size="sm" c="dimmed">
          {t(v.decision === 'transfer_icu' ? 'review.transfer_icu_hint' : 'review.transfer_designated_hint')}
        </Text>
      )}
      {amend && <Textarea label={t('review.amend_reason')} required autosize minRows={1} {...form.getInputProps('reason')} />}
      <Group justify="flex-end">
        {onCancel && (
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        )}
        <Button size="md" onClick={() => void f.save()} loading={f.busy}>
          {amend ? t('review.sign_amend') : t('review.sign')}
        </Button>
      </Group>
    </Stack>
  );
}
