import { Fragment, useState, type ReactNode } from 'react';
import { ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import type { SessionUser } from '../../../../shared/api/auth';
import type { ChartHeader } from '../../../../shared/api/chart';
import { LAB_PANEL, type Imaging, type LabResult } from '../../../../shared/api/results';
import { DEFAULT_TREND_CONFIG, LAB_LIMITS, PAO2_FIO2_SEVERE_MAX, RELEASE_CT_MIN, assessTest } from '../../../../shared/clinical';
import { formatLocal } from '../../../../shared/domain/time';
import { canCorrect } from '../../lib/can';
import { useI18n } from '../../lib/i18n';
import { ErrorReasonModal } from './ErrorReasonModal';
import { ImagingDrawer, LabAmendDrawer } from '../../components/results/ResultForms';
import { versionGroups } from '../../components/clinical';
import { TableHead, numHead, type HeadCell } from '../../components/TableHead';
import { CorrectionButtons, SupersededRow, WithdrawnRow } from './VersionRows';

const FIELD_OF: Record<string, keyof typeof LAB_LIMITS> = Object.fromEntries(LAB_PANEL.map((p) => [p.analyte, p.field]));
/** Analytes with a trend flag (shared/clinical flags): while it fires, the latest value is marked. */
const TREND_FLAG: Record<string, { code: string; arrow: string }> = {
  lymphocytes: { code: 'lymphocytes_falling', arrow: '↓' },
  crp: { code: 'crp_rising', arrow: '↑' },
  il6: { code: 'il6_rising', arrow: '↑' },
  ferritin: { code: 'ferritin_rising', arrow: '↑' },
  lactate: { code: 'lactate_rising', arrow: '↑' },
};

function Marked({ children, mark, title }: { children: ReactNode; mark: string | null; title?: string }) {
  if (!mark) return <>{children}</>;
  return (
    <span style={{ fontWeight: 700, background: 'var(--mantine-color-orange-1)', padding: '0 3px', borderRadius: 3 }} title={title}>
      {children} {mark}
    </span>
  );
}

/** Amend / entered in error, for a current result its author or a ward doctor may correct. */
type RowActions<R> = (r: R) => ReactNode;

/** Nucleic-acid tests, laboratory values and imaging, every version; abnormal values bold and marked, not coloured only. */
export function ResultsPanel({
  labs,
  imaging,
  header,
  timeZone,
  user,
  canWrite,
}: {
  labs: LabResult[];
  imaging: Imaging[];
  header: ChartHeader;
  timeZone: string;
  user: SessionUser;
  canWrite: boolean;
}) {
  const [amendLab, setAmendLab] = useState<LabResult | null>(null);
  const [amendImage, setAmendImage] = useState<Imaging | null>(null);
  const [withdraw, setWithdraw] = useState<{ kind: 'lab' | 'imaging'; id: number } | null>(null);
  const corrections = (authorId: number, amend: () => void, withdrawIt: () => void) =>
    canCorrect(user, authorId, canWrite) ? <CorrectionButtons onAmend={amend} onWithdraw={withdrawIt} /> : null;
  const labActions: RowActions<LabResult> = (r) =>
    corrections(
      r.authorId,
      () => setAmendLab(r),
      () => setWithdraw({ kind: 'lab', id: r.id }),
    );
  const imagingActions: RowActions<Imaging> = (r) =>
    corrections(
      r.authorId,
      () => setAmendImage(r),
      () => setWithdraw({ kind: 'imaging', id: r.id }),
    );

  return (
    <Stack gap="md">
      <NucleicAcidTable tests={labs.filter((l) => l.analyte === 'nucleic_acid')} timeZone={timeZone} actions={labActions} />
      <LabPanelTable panel={labs.filter((l) => l.analyte !== 'nucleic_acid')} flagged={new Set<string>(header.flags.map((f) => f.code))} timeZone={timeZone} actions={labActions} />
      <ImagingTable imaging={imaging} timeZone={timeZone} actions={imagingActions} />
      <LabAmendDrawer result={amendLab} timeZone={timeZone} onClose={() => setAmendLab(null)} onSaved={() => setAmendLab(null)} />
      <ImagingDrawer
        episodeId={header.episodeId}
        timeZone={timeZone}
        opened={amendImage !== null}
        amend={amendImage}
        onClose={() => setAmendImage(null)}
        onSaved={() => setAmendImage(null)}
      />
      <ErrorReasonModal
        opened={withdraw !== null}
        onClose={() => setWithdraw(null)}
        channel="results:enterInError"
        toInput={(reason) => ({ kind: withdraw?.kind ?? 'lab', id: withdraw?.id ?? 0, reason })}
      />
    </Stack>
  );
}

type Versioned = { id: number; status: string; supersedesId: number | null; entryKind: string; reason: string | null; authorName: string; enteredAt: string };

/**
 * One results table under its heading, or "none yet"; long ones scroll within the chart. Every version
 * of each result is a row: the result's own columns (`head`, `render`), then who entered it and the
 * corrections; a withdrawn result is struck through with a row saying why, older versions beneath.
 */
function ResultSection<R extends Versioned>({
  title,
  testId,
  scroll = false,
  head,
  rows,
  render,
  actions,
  tz,
}: {
  title: string;
  testId: string;
  scroll?: boolean;
  head: HeadCell[];
  rows: R[];
  render: (r: R) => ReactNode;
  actions: RowActions<R>;
  tz: string;
}) {
  const { t } = useI18n();
  const who = (r: R) => `${r.authorName} · ${formatLocal(r.enteredAt, tz)}`;
  const table = (
    <Table verticalSpacing={3} fz="sm" data-testid={testId}>
      <TableHead cells={[...head, t('chart.author'), {}]} />
      <Table.Tbody>
        {versionGroups(rows).map(({ head: current, older, withdrawal }) => (
          <Fragment key={current.id}>
            <Table.Tr data-result={current.id} data-status={current.status} style={withdrawal ? { textDecoration: 'line-through', opacity: 0.6 } : undefined}>
              {render(current)}
              <Table.Td>
                <Text size="xs">{who(current)}</Text>
                {current.entryKind === 'amendment' && (
                  <Text size="xs" c="blue">
                    {t('chart.amend_reason', { reason: current.reason ?? '' })}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{current.status === 'current' ? actions(current) : null}</Table.Td>
            </Table.Tr>
            {withdrawal && <WithdrawnRow colSpan={head.length + 2} reason={withdrawal.reason} who={who(withdrawal)} />}
            {older.map((o) => (
              <SupersededRow key={o.id} attr="data-result" entry={o} who={who(o)}>
                {render(o)}
              </SupersededRow>
            ))}
          </Fragment>
        ))}
      </Table.Tbody>
    </Table>
  );
  return (
    <div>
      <Title order={5} mb={4}>
        {title}
      </Title>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('results.none')}
        </Text>
      ) : scroll ? (
        <ScrollArea.Autosize mah={300} type="auto">
          {table}
        </ScrollArea.Autosize>
      ) : (
        table
      )}
    </div>
  );
}

/** Nucleic-acid tests: Ct values (≥ 35 marked, the release threshold) and the verdict the rule reads. */
function NucleicAcidTable({ tests, timeZone, actions }: { tests: LabResult[]; timeZone: string; actions: RowActions<LabResult> }) {
  const { t } = useI18n();
  const ct = (v: number | null) =>
    v === null ? (
      '—'
    ) : (
      <Marked mark={v >= RELEASE_CT_MIN ? '≥35' : null} title={t('results.ct_release')}>
        {v}
      </Marked>
    );
  return (
    <ResultSection
      title={t('results.nucleic_acid')}
      testId="nucleic-acid-table"
      scroll
      head={[t('results.collected_at'), numHead(t('field.ctN')), numHead(t('field.ctOrf1ab')), numHead(t('field.ctE')), t('results.verdict')]}
      rows={tests}
      tz={timeZone}
      actions={actions}
      render={(r) => (
        <>
          <Table.Td>{formatLocal(r.collectedAt, timeZone)}</Table.Td>
          <Table.Td className="num">{ct(r.ctN)}</Table.Td>
          <Table.Td className="num">{ct(r.ctOrf1ab)}</Table.Td>
          <Table.Td className="num">{r.ctE ?? '—'}</Table.Td>
          <Table.Td>
            {r.status === 'error_marker'
              ? '—'
              : t(`release.test.${assessTest({ collectedAt: r.collectedAt, nCt: r.ctN, orf1abCt: r.ctOrf1ab, qualitative: r.qualitative }).reason}`)}
          </Table.Td>
        </>
      )}
    />
  );
}

/** Laboratory values with their unit; a D-dimer or PaO2/FiO2 past its threshold, or the latest value of a firing trend flag, is marked. */
function LabPanelTable({ panel, flagged, timeZone, actions }: { panel: LabResult[]; flagged: ReadonlySet<string>; timeZone: string; actions: RowActions<LabResult> }) {
  const { t } = useI18n();
  const latestOf = new Map<string, number>();
  for (const l of panel) if (l.status === 'current' && !latestOf.has(l.analyte)) latestOf.set(l.analyte, l.id);
  const ddimerHigh = DEFAULT_TREND_CONFIG.ddimer.upperLimitOfNormal * DEFAULT_TREND_CONFIG.ddimer.multipleOfUln;
  const labMark = (l: LabResult): string | null => {
    if (l.value === null) return null;
    if (l.analyte === 'ddimer' && l.value > ddimerHigh) return '↑';
    if (l.analyte === 'pao2_fio2' && l.value <= PAO2_FIO2_SEVERE_MAX) return '↓';
    const trend = TREND_FLAG[l.analyte];
    return trend && flagged.has(trend.code) && latestOf.get(l.analyte) === l.id ? trend.arrow : null;
  };
  return (
    <ResultSection
      title={t('results.panel')}
      testId="labs-table"
      scroll
      head={[t('results.collected_at'), t('results.analyte_label'), numHead(t('results.value'))]}
      rows={panel}
      tz={timeZone}
      actions={actions}
      render={(r) => {
        const field = FIELD_OF[r.analyte];
        return (
          <>
            <Table.Td>{formatLocal(r.collectedAt, timeZone)}</Table.Td>
            <Table.Td>{field ? t(`field.${field}`) : r.analyte}</Table.Td>
            <Table.Td className="num">
              <Marked mark={labMark(r)} title={t('results.abnormal')}>
                {r.value ?? '—'}
              </Marked>{' '}
              <Text span size="xs" c="dimmed">
                {field ? LAB_LIMITS[field].unit : ''}
              </Text>
            </Table.Td>
          </>
        );
      }}
    />
  );
}

/** Chest CT and X-ray: pneumonia and progression marked. */
function ImagingTable({ imaging, timeZone, actions }: { imaging: Imaging[]; timeZone: string; actions: RowActions<Imaging> }) {
  const { t } = useI18n();
  return (
    <ResultSection
      title={t('results.imaging')}
      testId="imaging-table"
      head={[t('results.performed_at'), t('results.pneumonia'), numHead(t('results.progression')), t('results.improved'), t('results.finding')]}
      rows={imaging}
      tz={timeZone}
      actions={actions}
      render={(r) => (
        <>
          <Table.Td>
            {formatLocal(r.performedAt, timeZone)} · {t(`results.modality.${r.modality}`)}
          </Table.Td>
          <Table.Td>
            <Marked mark={r.pneumonia ? '!' : null}>{r.pneumonia ? t('results.yes') : t('results.no')}</Marked>
          </Table.Td>
          <Table.Td className="num">
            <Marked mark={r.progressionPct !== null && r.progressionPct > 0 ? '↑' : null}>{r.progressionPct === null ? '—' : `${r.progressionPct}%`}</Marked>
          </Table.Td>
          <Table.Td>{r.improved === null ? '—' : r.improved ? t('results.yes') : t('results.no')}</Table.Td>
          <Table.Td>
            <Text size="xs">{r.finding ?? ''}</Text>
          </Table.Td>
        </>
      )}
    />
  );
}
