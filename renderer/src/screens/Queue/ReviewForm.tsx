import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import type { UseFormReturnType } from '@mantine/form';
import { Button, Chip, Group, Select, SimpleGrid, Stack, Text, Textarea } from '@mantine/core';
import { ReviewAmendSchema, ReviewInputSchema, TIER_DECISIONS, TRANSFER_DECISIONS, type Review } from '../../../../shared/api/reviews';
import { REVIEW_DECISIONS, TIER_CODES, type ReviewDecision, type TierCode } from '../../../../shared/domain/clinical';
import { getRuleSet, type ClinicalClass } from '../../../../shared/clinical';
import { toLocalInput } from '../../../../shared/domain/time';
import { useI18n } from '../../lib/i18n';
import { useApiForm } from '../../lib/apiForm';
import { useApiQuery } from '../../lib/query';
import { FormError } from '../../components/FormError';
import { DateTimeField } from '../../components/dates/DateFields';
import { instantOf } from '../../components/localInstant';
import { decisionsFor, tierChoices, type DecisionContext } from './decisions';
import { clearDraft, loadDraft, saveDraft, typedIn } from './draft';

export interface ReviewSubject {
  episodeId: number;
  tier: string | null;
  currentClass: string | null;
  proposedClass: string | null;
  riskFactors: readonly string[];
  facilityKind: 'designated' | 'fangcang' | 'isolation';
  facilityId: number;
  wardId: number;
  /** A transfer request is open for the episode. */
  openTransfer: boolean;
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
  /** Where the decision bar goes: the drawer's sticky footer, so it stays on screen; inline when absent. */
  footer?: HTMLElement | null;
  /** The sessionStorage key of this review's draft (draft.ts); a new review only. */
  draft?: string;
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

/** The starting values, or the unsigned draft kept for this patient (its decision only where it still applies). */
function draftedValues(subject: ReviewSubject, tz: string, key: string | undefined): { values: Values; restored: boolean } {
  const start = startingValues(subject, tz);
  const d = key ? loadDraft(key) : null;
  if (!d) return { values: start, restored: false };
  const decision = REVIEW_DECISIONS.find((x) => x === d.decision) ?? start.decision;
  return { values: { ...start, ...d, decision, tier: asTier(d.tier) }, restored: true };
}

function RecordReviewForm({ subject, tz, onSaved, onCancel, footer, draft }: ReviewFormProps) {
  const { t } = useI18n();
  const [start] = useState(() => draftedValues(subject, tz, draft));
  const f = useApiForm('reviews:record', {
    initialValues: start.values,
    toInput: (v) => ({ episodeId: subject.episodeId, ...reviewFields(v, tz) }),
    schema: ReviewInputSchema,
    ...useSaved(false, () => {
      if (draft) clearDraft(draft);
      onSaved();
    }),
  });
  const v = f.form.values;
  useEffect(() => {
    if (draft) saveDraft(draft, { decision: v.decision, tier: v.tier, note: v.note, nextReviewDue: v.nextReviewDue, planChange: v.planChange, planGoals: v.planGoals });
  }, [draft, v.decision, v.tier, v.note, v.nextReviewDue, v.planChange, v.planGoals]);
  return (
    <ReviewFields
      f={f}
      subject={subject}
      tz={tz}
      onCancel={onCancel}
      footer={footer}
      notice={
        start.restored && typedIn(v) ? (
          <Text size="sm" c="dimmed" data-testid="review-draft-restored">
            {t('review.draft_restored')}
          </Text>
        ) : null
      }
    />
  );
}

function AmendReviewForm({ subject, tz, amend, onSaved, onCancel }: ReviewFormProps & { amend: Review }) {
  const f = useApiForm('reviews:amend', {
    initialValues: startingValues(subject, tz, amend),
    toInput: (v) => ({ reviewId: amend.id, reason: v.reason, ...reviewFields(v, tz) }),
    schema: ReviewAmendSchema,
    ...useSaved(true, onSaved),
  });
  return <ReviewFields f={f} subject={subject} tz={tz} amend={amend} onCancel={onCancel} />;
}

interface ReviewFormState {
  form: UseFormReturnType<Values>;
  save: () => Promise<unknown>;
  busy: boolean;
  formError: string | null;
}

/** The rules' view of this patient (decisions.ts), from the row, the facilities and the tiers' placements. */
function useDecisionContext(subject: ReviewSubject, amend: Review | undefined): DecisionContext {
  const facilities = useApiQuery('facilities:list', {});
  const tiers = useApiQuery('tiers:list', {});
  return useMemo(() => {
    const list = facilities.data ?? [];
    return {
      tier: amend ? amend.tierBefore : subject.tier,
      facilityKind: subject.facilityKind,
      wardKind: list.flatMap((f) => f.wards).find((w) => w.id === subject.wardId)?.kind ?? null,
      openTransfer: subject.openTransfer,
      designated: facilities.data ? list.filter((f) => f.kind === 'designated').map((f) => ({ id: f.id, hasIcu: f.wards.some((w) => w.kind === 'icu') })) : null,
      facilityId: subject.facilityId,
      placements: new Map((tiers.data ?? []).map((d) => [d.code, d.placement])),
      amending: amend?.decision ?? null,
    };
  }, [facilities.data, tiers.data, subject, amend]);
}

interface FieldsProps {
  f: ReviewFormState;
  subject: ReviewSubject;
  tz: string;
  amend?: Review;
  onCancel?: () => void;
  footer?: HTMLElement | null;
  notice?: ReactNode;
}

function ReviewFields({ f, subject, tz, amend, onCancel, footer, notice }: FieldsProps) {
  const { t } = useI18n();
  const { form } = f;
  const v = form.values;
  const ctx = useDecisionContext(subject, amend);
  const { offered, withheld } = decisionsFor(ctx);
  const tiers = tierChoices(v.decision, ctx);
  const choose = (d: ReviewDecision) => {
    // Choosing a decision fills fields in; it is not an edit of them, so their errors stay until the next signing.
    const errors = form.errors;
    const suggested = suggestedTier(d, subject);
    const choices = tierChoices(d, ctx);
    form.setValues((x) => ({
      decision: d,
      // Decisions that keep the tier show the current one; the others propose the tier they imply, among those the rules accept.
      tier: TIER_DECISIONS.includes(d) ? (suggested && choices.includes(suggested) ? suggested : (choices[0] ?? null)) : asTier(ctx.tier),
      nextReviewDue: d === 'ready_for_discharge' ? '' : x.nextReviewDue || nextDayLocal(tz),
    }));
    form.setErrors(errors);
  };
  // A drafted or amended decision the rules no longer accept (the patient has moved since) falls back to continuing.
  // Judged once the facilities and tiers are known, so a drafted transfer is not dropped while they load.
  const chosenOffered = offered.includes(v.decision) || ctx.designated === null || ctx.placements.size === 0;
  useEffect(() => {
    if (!chosenOffered) choose('continue');
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the chosen decision stops being offered
  }, [chosenOffered]);

  const transfer = TRANSFER_DECISIONS.includes(v.decision);
  const bar = (
    <Stack gap={6} data-testid="review-decision-bar">
      <Group gap={6} role="radiogroup" aria-label={t('review.decision')}>
        <Text size="sm" fw={500} mr={4}>
          {t('review.decision')}
        </Text>
        <Chip.Group multiple={false} value={v.decision} onChange={(d) => choose(REVIEW_DECISIONS.find((x) => x === d) ?? 'continue')}>
          {offered.map((d) => (
            <Chip key={d} value={d} type="radio" variant="outline" size="sm">
              {t(`review.decision.${d}`)}
            </Chip>
          ))}
        </Chip.Group>
      </Group>
      {withheld.length > 0 && (
        <Text size="xs" c="dimmed" data-testid="review-withheld">
          {t('review.not_offered', {
            list: withheld.map((w) => t('review.not_offered_item', { decision: t(`review.decision.${w.decision}`), why: t(w.why) })).join(t('lists.sep')),
          })}
        </Text>
      )}
      {form.errors.decision && (
        <Text size="sm" c="red">
          {form.errors.decision}
        </Text>
      )}
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Text size="sm" c="dimmed" style={{ minWidth: 0 }}>
          {t('review.chosen_tier', { tier: v.tier ?? '—' })}
        </Text>
        <Group gap="xs" wrap="nowrap">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
          )}
          <Button size="md" onClick={() => void f.save()} loading={f.busy}>
            {amend ? t('review.sign_amend') : t('review.sign')}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
  return (
    <Stack gap="sm" data-testid="review-form">
      {notice}
      <FormError message={f.formError} />
      <SimpleGrid cols={{ base: 1, xs: 2 }}>
        <Select
          label={t('review.tier_after')}
          description={subject.tier ? t('review.tier_now', { tier: t(`tier.${subject.tier}`) }) : t('panel.tier_none')}
          data={tiers.map((c) => ({ value: c, label: t(`tier.${c}`) }))}
          {...form.getInputProps('tier')}
          onChange={(x) => form.setFieldValue('tier', asTier(x))}
          disabled={!TIER_DECISIONS.includes(v.decision)}
          allowDeselect={false}
        />
        <DateTimeField
          label={t('review.next_due')}
          description={t('review.next_due_hint')}
          value={v.nextReviewDue}
          onChange={(x) => form.setFieldValue('nextReviewDue', x)}
          error={form.errors.nextReviewDue}
          data-field="nextReviewDue"
        />
      </SimpleGrid>
      <Textarea label={transfer ? t('review.note_transfer') : t('review.note')} required={transfer} autosize minRows={2} {...form.getInputProps('note')} />
      <SimpleGrid cols={{ base: 1, xs: 2 }}>
        <Textarea label={t('review.plan_change')} placeholder={t('review.plan_change_hint')} autosize minRows={2} {...form.getInputProps('planChange')} />
        <Textarea label={t('review.plan_goals')} autosize minRows={2} {...form.getInputProps('planGoals')} />
      </SimpleGrid>
      {transfer && (
        <Text size="sm" c="dimmed">
          {t(v.decision === 'transfer_icu' ? 'review.transfer_icu_hint' : 'review.transfer_designated_hint')}
        </Text>
      )}
      {amend && <Textarea label={t('review.amend_reason')} required autosize minRows={1} {...form.getInputProps('reason')} />}
      {footer ? createPortal(bar, footer) : bar}
    </Stack>
  );
}
