import { Fragment, useState } from 'react';
import { Badge, Drawer, ScrollArea, Table, Text } from '@mantine/core';
import type { SessionUser } from '../../../../shared/api/auth';
import type { Round } from '../../../../shared/api/rounds';
import { scoreConsciousness, scorePulse, scoreRespRate, scoreSpo2Scale1, scoreSpo2Scale2, scoreSystolicBp, scoreTemperature, type Acvpu } from '../../../../shared/clinical';
import { formatLocal } from '../../../../shared/domain/time';
import { canChangeSpo2Scale, canCorrect } from '../../lib/can';
import { useI18n } from '../../lib/i18n';
import { RoundForm } from '../../components/rounds/RoundForm';
import { News2Badge, fmt, versionGroups } from '../../components/clinical';
import { ErrorReasonModal } from './ErrorReasonModal';
import { CorrectionButtons, SupersededRow, WithdrawnRow } from './VersionRows';
import { TableHead, numHead } from '../../components/TableHead';

const SCORE_BG = ['transparent', 'var(--mantine-color-yellow-1)', 'var(--mantine-color-orange-1)', 'var(--mantine-color-red-1)'];

/** A value with its NEWS2 parameter score: scored values are bold with the score as a superscript, not colour alone. */
function Scored({ value, score, t }: { value: string; score: number | null; t: (k: string, p?: Record<string, string | number>) => string }) {
  if (!score) return <>{value}</>;
  return (
    <span style={{ background: SCORE_BG[score], fontWeight: 700, padding: '0 3px', borderRadius: 3 }} title={t('chart.param_score', { n: score })} data-score={score}>
      {value}
      <sup>{score}</sup>
    </span>
  );
}

function cells(r: Round, t: (k: string, p?: Record<string, string | number>) => string) {
  const spo2Score = r.spo2 === null ? null : r.spo2Scale === 2 ? scoreSpo2Scale2(r.spo2, r.onOxygen) : scoreSpo2Scale1(r.spo2);
  return (
    <>
      <Table.Td className="num">{r.respRate === null ? '—' : <Scored value={String(r.respRate)} score={scoreRespRate(r.respRate)} t={t} />}</Table.Td>
      <Table.Td className="num">
        {r.spo2 === null ? '—' : <Scored value={`${r.spo2}%`} score={spo2Score} t={t} />}
        {r.spo2Scale === 2 ? (
          <Text span size="xs" c="dimmed">
            {' '}
            {t('rounds.scale_2')}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>
        {r.onOxygen === null ? '—' : r.onOxygen ? <Scored value={`${t('news2.oxygen')}${r.o2Flow !== null ? ` ${r.o2Flow}L` : ''}`} score={2} t={t} /> : t('news2.air')}
      </Table.Td>
      <Table.Td className="num">
        {r.systolicBp === null ? '—' : <Scored value={String(r.systolicBp)} score={scoreSystolicBp(r.systolicBp)} t={t} />}
        {r.diastolicBp !== null ? `/${r.diastolicBp}` : ''}
      </Table.Td>
      <Table.Td className="num">{r.pulse === null ? '—' : <Scored value={String(r.pulse)} score={scorePulse(r.pulse)} t={t} />}</Table.Td>
      <Table.Td>{r.consciousness === null ? '—' : <Scored value={r.consciousness} score={scoreConsciousness(r.consciousness as Acvpu)} t={t} />}</Table.Td>
      <Table.Td className="num">{r.temperature === null ? '—' : <Scored value={fmt(r.temperature, 1)} score={scoreTemperature(r.temperature)} t={t} />}</Table.Td>
      <Table.Td>
        <News2Badge total={r.news2Total} band={r.news2Band} complete={r.news2Complete} t={t} size="sm" />
      </Table.Td>
      <Table.Td maw={220}>
        <Text size="xs" lineClamp={2}>
          {r.symptoms === null ? '—' : r.symptoms.length === 0 ? t('chart.no_symptoms') : r.symptoms.map((s) => t(`symptom.${s}`)).join(t('chart.list_sep'))}
          {r.signs.length > 0 ? ` · ${r.signs.map((s) => t(`rounds.sign.${s}`)).join(t('chart.list_sep'))}` : ''}
          {r.note ? ` · ${r.note}` : ''}
        </Text>
      </Table.Td>
    </>
  );
}

/** Every round, newest first; a corrected or withdrawn round stays visible, struck through, with the reason. */
export function RoundsTable({
  rounds,
  timeZone,
  episodeId,
  spo2Scale,
  user,
  canWrite,
}: {
  rounds: Round[];
  timeZone: string;
  episodeId: number;
  spo2Scale: 1 | 2;
  user: SessionUser;
  canWrite: boolean;
}) {
  const { t } = useI18n();
  const [amend, setAmend] = useState<Round | null>(null);
  const [withdraw, setWithdraw] = useState<Round | null>(null);
  const groups = versionGroups(rounds);
  const mayCorrect = (r: Round) => canCorrect(user, r.authorId, canWrite);
  const who = (r: Round) => `${r.authorName} · ${formatLocal(r.enteredAt, timeZone)}`;

  if (groups.length === 0) return <Text c="dimmed">{t('chart.no_rounds')}</Text>;
  return (
    <>
      <ScrollArea type="auto">
        <Table striped={false} highlightOnHover verticalSpacing={4} fz="sm" data-testid="rounds-table">
          <TableHead
            cells={[
              t('rounds.measured_at'),
              numHead(t('field.respRate')),
              numHead('SpO2'),
              t('rounds.air_or_oxygen'),
              numHead(t('chart.bp')),
              numHead(t('field.pulse')),
              t('chart.acvpu'),
              numHead(t('field.temperature')),
              'NEWS2',
              t('rounds.symptoms'),
              t('chart.author'),
              {},
            ]}
          />
          <Table.Tbody>
            {groups.map(({ head, older, withdrawal }) => (
              <Fragment key={head.id}>
                <Table.Tr data-round={head.id} data-status={head.status} style={withdrawal ? { textDecoration: 'line-through', opacity: 0.6 } : undefined}>
                  <Table.Td>
                    {formatLocal(head.measuredAt, timeZone)}
                    {head.entryKind === 'amendment' && (
                      <Badge size="xs" ml={4} variant="light" color="blue">
                        {t('chart.amended')}
                      </Badge>
                    )}
                  </Table.Td>
                  {cells(head, t)}
                  <Table.Td>
                    <Text size="xs">{who(head)}</Text>
                  </Table.Td>
                  <Table.Td>{head.status === 'current' && mayCorrect(head) && <CorrectionButtons onAmend={() => setAmend(head)} onWithdraw={() => setWithdraw(head)} />}</Table.Td>
                </Table.Tr>
                {withdrawal && <WithdrawnRow colSpan={12} reason={withdrawal.reason} who={who(withdrawal)} marker={head.id} />}
                {head.entryKind === 'amendment' && (
                  <Table.Tr>
                    <Table.Td colSpan={12} py={0}>
                      <Text size="xs" c="blue">
                        {t('chart.amend_reason', { reason: head.reason ?? '' })}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                {older.map((o) => (
                  <SupersededRow key={o.id} attr="data-round" entry={o} who={who(o)}>
                    <Table.Td>
                      <Text size="xs" span>
                        {t('chart.original')}
                      </Text>{' '}
                      {formatLocal(o.measuredAt, timeZone)}
                    </Table.Td>
                    {cells(o, t)}
                  </SupersededRow>
                ))}
              </Fragment>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      <Drawer opened={amend !== null} onClose={() => setAmend(null)} position="right" size={1100} title={t('chart.amend_round')}>
        {amend && (
          <RoundForm
            episodeId={episodeId}
            spo2Scale={spo2Scale}
            last={null}
            amend={amend}
            timeZone={timeZone}
            canChangeScale={canChangeSpo2Scale(user)}
            onCancel={() => setAmend(null)}
            onSaved={() => setAmend(null)}
          />
        )}
      </Drawer>
      <ErrorReasonModal opened={withdraw !== null} onClose={() => setWithdraw(null)} channel="rounds:enterInError" toInput={(reason) => ({ roundId: withdraw?.id ?? 0, reason })} />
    </>
  );
}
