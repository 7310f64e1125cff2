import { useEffect, useState } from 'react';
import { Badge, Group, Stack, Text, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import type { SessionUser } from '../../../../shared/api/auth';
import type { PatientSearchHit } from '../../../../shared/api/patientSearch';
import { SEARCH_LIST_LIMIT } from '../../../../shared/api/patientSearch';
import { DEFAULT_TIME_ZONE, formatLocal } from '../../../../shared/domain/time';
import { useApiQuery } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { useNav } from '../../lib/nav';
import { ErrorPanel } from '../../components/ErrorPanel';
import { VirtualTable, type VirtualColumn } from '../../components/VirtualTable';
import { FhirPatientButton, FhirRangeExport } from './FhirExport';
import { can } from '../../lib/can';
import { TitleHint } from '../../components/TitleHint';

/** 患者查询: every match of the search (or everyone in hospital), a virtualised list; a row opens the chart. */
export function PatientsScreen({ user, initialQuery }: { user: SessionUser; initialQuery: string }) {
  const { t } = useI18n();
  const { go } = useNav();
  const [q, setQ] = useState(initialQuery);
  const [query, setQuery] = useState(initialQuery);
  useEffect(() => {
    const timer = setTimeout(() => setQuery(q.trim()), 150);
    return () => clearTimeout(timer);
  }, [q]);
  const list = useApiQuery('patients:search', { q: query, mode: 'list' });
  const canFhir = can(user, 'fhir:patient');
  const canFhirRange = can(user, 'fhir:range');

  useEffect(() => {
    if (list.data) performance.mark('patients-list-data');
  }, [list.data]);

  const columns: VirtualColumn<PatientSearchHit>[] = [
    {
      key: 'name',
      header: t('patient.name'),
      width: 'minmax(90px, 1fr)',
      render: (h) => (
        <Text fw={600} size="sm">
          {h.name}
        </Text>
      ),
    },
    { key: 'sex', header: t('patient.sex'), width: '52px', render: (h) => t(`sex.${h.sex}`) },
    { key: 'age', header: t('patient.age'), width: '88px', align: 'right', render: (h) => (h.ageYears === null ? '—' : h.ageYears) },
    { key: 'bed', header: t('patients.col.bed'), width: '96px', render: (h) => h.bedLabel ?? (h.status === 'active' ? t('search.waiting') : '—') },
    { key: 'ward', header: t('patients.col.ward'), width: '120px', render: (h) => h.wardName ?? '—' },
    { key: 'facility', header: t('patients.col.facility'), width: 'minmax(120px, 1fr)', render: (h) => h.facilityName ?? '—' },
    { key: 'admitted', header: t('patients.col.admitted'), width: '140px', render: (h) => (h.admittedAt ? formatLocal(h.admittedAt, DEFAULT_TIME_ZONE) : '—') },
    {
      key: 'status',
      header: t('patients.col.status'),
      width: '112px',
      render: (h) => (
        <Badge variant="light" size="sm" color={h.status === 'active' ? 'blue' : 'gray'} styles={{ label: { overflow: 'visible' } }}>
          {t(`patients.status.${h.status ?? 'discharged'}`)}
        </Badge>
      ),
    },
    { key: 'id', header: t('patient.id_card'), width: '156px', render: (h) => h.idCardMasked ?? '—' },
    ...(canFhir
      ? [
          {
            key: 'fhir',
            header: t('fhir.download'),
            width: '56px',
            align: 'center' as const,
            render: (h: PatientSearchHit) => <FhirPatientButton patientId={h.patientId} name={h.name} />,
          },
        ]
      : []),
  ];

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <TitleHint order={3} title={t('patients.title')} hint={t('patients.hint')} />
        <Text size="sm" data-testid="patients-count">
          {list.data ? t('patients.count', { n: list.data.results.length }) : ''}
        </Text>
      </Group>
      <TextInput
        size="md"
        leftSection={<IconSearch size={18} />}
        placeholder={t('search.placeholder')}
        aria-label={t('search.label')}
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        data-autofocus
        autoFocus
        maw={520}
      />
      {list.data?.more && (
        <Text size="sm" c="orange">
          {t('patients.more', { n: SEARCH_LIST_LIMIT })}
        </Text>
      )}
      {list.error ? (
        <ErrorPanel error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <VirtualTable
          rows={list.data?.results ?? []}
          columns={columns}
          getKey={(h) => h.patientId}
          label={t('patients.title')}
          testId="patients-list"
          height={canFhirRange ? 'calc(100vh - 390px)' : 'calc(100vh - 250px)'}
          empty={list.isFetching ? '' : t('search.none')}
          onRowClick={(h) => h.episodeId && go('chart', { episodeId: h.episodeId })}
        />
      )}
      {canFhirRange && <FhirRangeExport />}
    </Stack>
  );
}
