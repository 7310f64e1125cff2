import type { ReactNode } from 'react';
import { Group, Stack, Table, Text, Title } from '@mantine/core';
import type { DischargeSummary } from '../../../../shared/api/summary';
import { formatLocal } from '../../../../shared/domain/time';
import { useI18n } from '../../lib/i18n';
import { doseText, medicineName } from '../../components/antiviral/parts';
import { criterionDetail, fmtNum } from '../../components/clinical';
import { SignatureLine } from '../../components/SignatureLine';
import { TableHead, numHead, type HeadCell } from '../../components/TableHead';

/** A local time stamp in the summary's zone, or a dash where there is none. */
const stampIn = (tz: string) => (v: string | null) => (v ? formatLocal(v, tz) : '—');

/** A table of the printed summary: bordered, compact, with a header row when given. */
function DocTable({ head, testId, children }: { head?: HeadCell[]; testId?: string; children: ReactNode }) {
  return (
    <Table withTableBorder fz="sm" verticalSpacing={2} data-testid={testId}>
      {head && <TableHead cells={head} />}
      <Table.Tbody>{children}</Table.Tbody>
    </Table>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap={4}>
      <Title order={5} style={{ borderBottom: '1px solid #adb5bd', paddingBottom: 2 }}>
        {title}
      </Title>
      {children}
    </Stack>
  );
}

/** 出院小结, laid out for A4: identity, course, results, treatment, condition, criteria, instructions, signature. */
export function SummaryDocument({ s }: { s: DischargeSummary }) {
  const { t } = useI18n();
  const tz = s.timeZone;
  const d = s.discharge;
  const facility = s.placements[s.placements.length - 1]?.facilityName ?? '';
  return (
    <Stack gap="sm" className="print-doc" data-testid="discharge-summary">
      <Stack gap={0} align="center">
        <Text size="sm">{facility}</Text>
        <Title order={2}>{s.status === 'active' ? t('summary.title_draft') : t('summary.title')}</Title>
      </Stack>
      {s.status === 'active' && (
        <Text size="sm" c="orange">
          {t('summary.draft_note')}
        </Text>
      )}
      <IdentitySection s={s} />

      <PlacementsSection s={s} />

      <ClassesAndTests s={s} />

      <TreatmentSection s={s} />

      <AntiviralSection s={s} />

      {d && (
        <Section title={t('summary.section.condition')}>
          <Text size="sm">
            {t(`discharge.condition.${d.condition}`)}
            {d.conditionNote ? `${t('punct.colon')}${d.conditionNote}` : ''} · {t('summary.disposition')}
            {t('punct.colon')}
            {t(`discharge.disposition.${d.disposition}`)}
          </Text>
        </Section>
      )}

      {d && <CriteriaSection s={s} />}

      <Section title={t('summary.section.follow_up')}>
        <Text size="sm">{t('release.follow_up', { days: d?.followUpDays ?? 7 })}</Text>
        {d?.followUpNote && <Text size="sm">{d.followUpNote}</Text>}
      </Section>

      <Group justify="space-between" mt="md">
        <Text size="sm">
          {t('summary.doctor')}
          {t('punct.colon')}
          {d?.authorName ?? '—'}
        </Text>
        <Text size="xs" c="dimmed">
          {t('summary.printed', { at: formatLocal(s.generatedAt, tz), by: s.generatedBy })}
        </Text>
      </Group>
      <SignatureLine labels={[t('summary.signature'), t('summary.sign_date')]} />
    </Stack>
  );
}

/** Who the patient is, when admitted and discharged, risks and allergies. */
function IdentitySection({ s }: { s: DischargeSummary }) {
  const { t, locale } = useI18n();
  const at = stampIn(s.timeZone);
  // The list when one was kept (issue 19); before that, the free text recorded at admission.
  const medications = s.medications
    ? s.medications.items.length === 0
      ? t('summary.none')
      : s.medications.items.map((i) => [medicineName(i.code, i.text, locale), i.dose].filter(Boolean).join(' ')).join(t('punct.semicolon'))
    : (s.patient.chronicMedications ?? t('summary.none'));
  return (
    <Section title={t('summary.section.identity')}>
      <Table withTableBorder withColumnBorders fz="sm" verticalSpacing={3}>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w={110}>{t('patient.name')}</Table.Th>
            <Table.Td>{s.patient.name}</Table.Td>
            <Table.Th w={90}>{t('patient.sex')}</Table.Th>
            <Table.Td>{t(`sex.${s.patient.sex}`)}</Table.Td>
            <Table.Th w={90}>{t('summary.age')}</Table.Th>
            <Table.Td>{s.patient.ageYears === null ? '—' : t('patient.age_years', { n: s.patient.ageYears })}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('summary.id_card')}</Table.Th>
            <Table.Td>{s.patient.idCardMasked ?? '—'}</Table.Td>
            <Table.Th>{t('patient.phone')}</Table.Th>
            <Table.Td>{s.patient.phone ?? '—'}</Table.Td>
            <Table.Th>{t('patient.community')}</Table.Th>
            <Table.Td>{s.patient.community ?? '—'}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('summary.admitted_at')}</Table.Th>
            <Table.Td>{at(s.admittedAt)}</Table.Td>
            <Table.Th>{t('summary.discharged_at')}</Table.Th>
            <Table.Td>{at(s.endedAt)}</Table.Td>
            <Table.Th>{t('summary.los')}</Table.Th>
            <Table.Td>{t('summary.los_days', { n: s.lengthOfStayDays })}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('summary.risk_factors')}</Table.Th>
            <Table.Td colSpan={5}>{s.patient.riskFactors.length ? s.patient.riskFactors.map((r) => t(`risk.${r}`)).join(t('punct.list')) : t('summary.none')}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('summary.allergies')}</Table.Th>
            <Table.Td>{s.patient.allergies ?? t('summary.none')}</Table.Td>
            <Table.Th>{t('summary.chronic_medications')}</Table.Th>
            <Table.Td colSpan={3} data-testid="summary-medications">
              {medications}
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
    </Section>
  );
}

/** Every facility, ward and bed of the stay, and how each began. */
function PlacementsSection({ s }: { s: DischargeSummary }) {
  const { t } = useI18n();
  const at = stampIn(s.timeZone);
  return (
    <Section title={t('summary.section.placements')}>
      <DocTable head={[t('summary.col.facility'), t('summary.col.ward'), t('summary.col.bed'), t('summary.col.from'), t('summary.col.to'), t('summary.col.how')]}>
        {s.placements.map((p) => (
          <Table.Tr key={p.startAt}>
            <Table.Td>{p.facilityName}</Table.Td>
            <Table.Td>{p.wardName}</Table.Td>
            <Table.Td>{p.bedLabel ?? '—'}</Table.Td>
            <Table.Td>{at(p.startAt)}</Table.Td>
            <Table.Td>{at(p.endAt)}</Table.Td>
            <Table.Td>{t(`summary.began.${p.beganBy}`)}</Table.Td>
          </Table.Tr>
        ))}
      </DocTable>
    </Section>
  );
}

/** The class decisions and tiers beside the nucleic-acid tests. */
function ClassesAndTests({ s }: { s: DischargeSummary }) {
  const { t } = useI18n();
  const at = stampIn(s.timeZone);
  return (
    <Group align="flex-start" grow>
      <Section title={t('summary.section.classes')}>
        {s.classes.length === 0 ? (
          <Text size="sm">{t('summary.none')}</Text>
        ) : (
          <DocTable>
            {s.classes.map((c) => (
              <Table.Tr key={c.at}>
                <Table.Td>{at(c.at)}</Table.Td>
                <Table.Td>{t(`report.class.${c.class}`)}</Table.Td>
                <Table.Td>{t(`summary.decision.${c.decision}`)}</Table.Td>
              </Table.Tr>
            ))}
          </DocTable>
        )}
        {s.tiers.length > 0 && (
          <Text size="sm">
            {t('summary.section.tiers')}
            {t('punct.colon')}
            {s.tiers.map((x) => t('punct.paren', { text: t(`tier.${x.tier}`), note: at(x.at) })).join(' → ')}
          </Text>
        )}
      </Section>
      <Section title={t('summary.section.tests')}>
        {s.tests.length === 0 ? (
          <Text size="sm">{t('summary.none')}</Text>
        ) : (
          <DocTable head={[t('discharge.col.collected_at'), numHead('N'), numHead('ORF1ab'), t('discharge.col.verdict')]} testId="summary-ct">
            {s.tests.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{at(r.collectedAt)}</Table.Td>
                <Table.Td className="num">{fmtNum(r.nCt)}</Table.Td>
                <Table.Td className="num">{fmtNum(r.orf1abCt)}</Table.Td>
                <Table.Td>{t(`release.test.${r.reason}`)}</Table.Td>
              </Table.Tr>
            ))}
          </DocTable>
        )}
      </Section>
    </Group>
  );
}

/** The plan's treatment items, and the discharge summary text. */
function TreatmentSection({ s }: { s: DischargeSummary }) {
  const { t } = useI18n();
  const at = stampIn(s.timeZone);
  const d = s.discharge;
  return (
    <Section title={t('summary.section.treatment')}>
      {s.treatment.length === 0 ? (
        <Text size="sm">{t('summary.none')}</Text>
      ) : (
        <DocTable>
          {s.treatment.map((x) => (
            <Table.Tr key={`${x.kind}-${x.detail ?? ''}-${x.startDate ?? ''}-${x.courseDays ?? ''}`}>
              <Table.Td w={160}>{t(`summary.item.${x.kind}`)}</Table.Td>
              <Table.Td>
                {[x.detail, x.startDate ? t('summary.course_from', { date: x.startDate }) : null, x.courseDays ? t('summary.course_days', { days: x.courseDays }) : null]
                  .filter((v): v is string => v !== null)
                  .join(t('punct.semicolon'))}
              </Table.Td>
              <Table.Td w={150}>{at(x.since)}</Table.Td>
            </Table.Tr>
          ))}
        </DocTable>
      )}
      {d?.summary && <Text size="sm">{d.summary}</Text>}
    </Section>
  );
}

/** The release criteria as judged at discharge, and an override's reason. */
function CriteriaSection({ s }: { s: DischargeSummary }) {
  const { t } = useI18n();
  const d = s.discharge;
  if (!d) return null;
  return (
    <Section title={t('summary.section.criteria')}>
      <DocTable testId="summary-criteria">
        {d.check.criteria.map((c) => (
          <Table.Tr key={c.code}>
            <Table.Td w={70}>{t(`release.status.${c.status}`)}</Table.Td>
            <Table.Td>
              {t(`release.${c.code}`)}
              <Text size="xs" c="dimmed">
                {criterionDetail(c, t, s.timeZone)}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </DocTable>
      {d.overrideReason && (
        <Text size="sm">
          {t('summary.override')}
          {t('punct.colon')}
          {d.overrideReason}
        </Text>
      )}
    </Section>
  );
}

/** 抗病毒治疗 (issue 19): each decision with its date, dose and reason, and the interactions handled. */
function AntiviralSection({ s }: { s: DischargeSummary }) {
  const { t, locale } = useI18n();
  const at = stampIn(s.timeZone);
  return (
    <Section title={t('antiviral_ui.summary.antivirals')}>
      {s.antivirals.length === 0 && <Text size="sm">{t('summary.none')}</Text>}
      {s.antivirals.map((d) => (
        <Stack key={d.id} gap={2} data-testid="summary-antiviral">
          <Text size="sm" fw={600}>
            {t('antiviral_ui.summary.decision_line', {
              at: at(d.createdAt),
              who: d.authorName,
              option: t(`antiviral.option.${d.option}`),
              decision: t(`antiviral_ui.decision.${d.decision}`),
            })}
          </Text>
          <Text size="sm">
            {[
              d.startDate ? t('antiviral_ui.summary.start_date', { date: d.startDate }) : null,
              d.doseCode ? t('antiviral_ui.summary.dose', { dose: doseText({ code: d.doseCode }, t) }) : null,
              t('antiviral_ui.summary.status_then', { status: t(`antiviral.status.${d.status}`) }),
            ]
              .filter((v): v is string => v !== null)
              .join(t('punct.semicolon'))}
          </Text>
          {d.reason && <Text size="sm">{t('antiviral_ui.summary.reason', { reason: d.reason })}</Text>}
          {d.clashReason && <Text size="sm">{t('antiviral_ui.summary.clash_reason', { reason: d.clashReason })}</Text>}
          {d.clashes.length > 0 && <Text size="sm">{t('antiviral_ui.summary.clashes')}</Text>}
          {d.clashes.length > 0 && (
            <DocTable
              head={[t('antiviral_ui.summary.col.medicine'), t('antiviral_ui.summary.col.severity'), t('antiviral_ui.summary.col.advice')]}
              testId="summary-antiviral-clashes"
            >
              {d.clashes.map((c) => (
                <Table.Tr key={`${c.medicine}-${c.entered}`}>
                  <Table.Td w={130}>{medicineName(c.medicine, c.entered, locale)}</Table.Td>
                  <Table.Td w={120}>{t(`antiviral.severity.${c.severity}`)}</Table.Td>
                  <Table.Td>{locale === 'en' ? c.advice.en : c.advice.zh}</Table.Td>
                </Table.Tr>
              ))}
            </DocTable>
          )}
        </Stack>
      ))}
    </Section>
  );
}
