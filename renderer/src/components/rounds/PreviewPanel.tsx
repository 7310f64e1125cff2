import { Badge, Group, Loader, Paper, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import type { RoundPreview } from '../../../../shared/api/rounds';
import { formatLocal } from '../../../../shared/domain/time';
import { useI18n } from '../../lib/i18n';
import { ClassBadge, FlagList, News2Badge } from '../../components/clinical';

/**
 * What the values being typed mean, before anything is saved: NEWS2 of this observation (with the
 * rounds of the previous 30 minutes), the class the rules would propose, and flags that would be new.
 */
export function PreviewPanel({ preview, loading, timeZone }: { preview: RoundPreview | null; loading: boolean; timeZone: string }) {
  const { t } = useI18n();
  if (!preview) {
    return (
      <Paper withBorder p="sm">
        <Group gap="xs">
          {loading && <Loader size="xs" />}
          <Text size="sm" c="dimmed">
            {t('rounds.preview_empty')}
          </Text>
        </Group>
      </Paper>
    );
  }
  const n = preview.news2;
  const fresh = preview.flags.filter((f) => f.isNew);
  const borrowedAt = new Map<string, string>(preview.borrowed.map((b) => [b.param, b.measuredAt]));
  return (
    <Paper withBorder p="sm" data-testid="round-preview" aria-live="polite">
      <Stack gap={8}>
        <Group justify="space-between" wrap="nowrap">
          <Title order={5}>{t('rounds.preview_title')}</Title>
          {loading && <Loader size="xs" />}
        </Group>
        {n === null ? (
          <Text size="sm" c="dimmed" data-testid="news2-none">
            {t('preview.no_score')}
          </Text>
        ) : (
          <div>
            <News2Badge total={n.total} band={n.band} complete={n.complete} missing={n.missing} t={t} size="xl" />
            <Text size="xs" mt={4}>
              {t(`news2.monitoring.${n.monitoring}`)}
            </Text>
            {!n.complete && (
              <Text size="xs" c="orange" data-testid="news2-missing">
                {t('news2.caveat.incomplete', { missing: n.missing.map((m) => t(`news2.param.${m}`)).join(t('chart.list_sep')) })}
              </Text>
            )}
            {n.caveats
              .filter((c) => c !== 'incomplete')
              .map((c) => (
                <Text key={c} size="xs" c="dimmed">
                  {t(`news2.caveat.${c}`)}
                </Text>
              ))}
          </div>
        )}
        {((n?.parts.length ?? 0) > 0 || preview.invalid.length > 0) && (
          <Table withRowBorders={false} verticalSpacing={0} fz="xs">
            <Table.Tbody>
              {(n?.parts ?? []).map((p) => {
                const borrowed = borrowedAt.get(p.param);
                return (
                  <Table.Tr
                    key={p.param}
                    fw={p.score >= 2 ? 700 : undefined}
                    data-param={p.param}
                    data-borrowed={borrowed ? 'true' : undefined}
                    c={borrowed ? 'dimmed' : undefined}
                    fs={borrowed ? 'italic' : undefined}
                  >
                    <Table.Td>
                      {t(`news2.param.${p.param}`)}
                      {borrowed && (
                        <Tooltip label={t('preview.borrowed_hint')}>
                          <Text size="xs" c="grape" fs="italic" lh={1.1}>
                            {t('preview.borrowed', { at: formatLocal(borrowed, timeZone).slice(11) })}
                          </Text>
                        </Tooltip>
                      )}
                    </Table.Td>
                    <Table.Td className="num">
                      {typeof p.value === 'string' ? t(p.value === 'oxygen' || p.value === 'air' ? `news2.${p.value}` : `news2.acvpu.${p.value}`) : p.value}
                    </Table.Td>
                    <Table.Td className="num" style={{ whiteSpace: 'nowrap' }}>
                      {t('rounds.points', { n: p.score })}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
              {preview.invalid.map((param) => (
                <Table.Tr key={param} data-param={param} data-invalid="true">
                  <Table.Td>{t(`news2.param.${param}`)}</Table.Td>
                  <Table.Td colSpan={2}>
                    <Text span size="xs" c="red" fw={600}>
                      {t('preview.invalid')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <div>
          <Text size="xs" c="dimmed">
            {t('class.proposal')}
          </Text>
          <Group gap={6}>
            <ClassBadge cls={null} proposed={preview.proposal.proposed} t={t} />
            {preview.currentClass && preview.currentClass !== preview.proposal.proposed && (
              <Text size="xs">{t('rounds.current_class', { cls: t(`class.${preview.currentClass}`) })}</Text>
            )}
          </Group>
          {preview.proposal.criteria
            .filter((c) => c.class === 'severe' || c.class === 'critical')
            .map((c) => (
              <Text key={c.code} size="xs" c="red" fw={600}>
                {t(`criterion.${c.code}`)}
              </Text>
            ))}
        </div>
        <div>
          <Group gap={6}>
            <Text size="xs" c="dimmed">
              {t('rounds.new_flags')}
            </Text>
            <Badge size="xs" variant="light" color={fresh.length > 0 ? 'red' : 'gray'}>
              {fresh.length}
            </Badge>
          </Group>
          {fresh.length > 0 && <FlagList flags={fresh} t={t} tz={timeZone} newOnly />}
        </div>
        {preview.nextObsDueAt && (
          <Text size="xs" c="dimmed">
            {t('rounds.next_due', { at: formatLocal(preview.nextObsDueAt, timeZone) })}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
