import { useEffect, useRef, useState } from 'react';
import { Badge, Combobox, Group, Text, TextInput, useCombobox } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import type { PatientSearchHit } from '../../../shared/api/patientSearch';
import { api } from '../lib/api';
import { useI18n, type T } from '../lib/i18n';
import { useNav } from '../lib/nav';

/** Wait this long after the last key before asking the core: fast typists send one query, not five. */
const DEBOUNCE_MS = 120;

export function hitPlace(h: PatientSearchHit, t: T): string {
  if (h.status !== 'active') return t(`patients.status.${h.status ?? 'discharged'}`);
  return [h.bedLabel ?? t('search.waiting'), h.wardName].filter(Boolean).join(' · ');
}

/**
 * The header's search box: suggestions as you type (name, pinyin initials, bed, ID-card tail);
 * arrows and Enter choose one and open the patient's chart; the last option opens the full list.
 */
export function PatientSearchBox() {
  const { t, failureText } = useI18n();
  const { go } = useNav();
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<PatientSearchHit[]>([]);
  const [more, setMore] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const seq = useRef(0);

  useEffect(() => {
    const query = q.trim();
    const mine = ++seq.current;
    if (!query) {
      setHits([]);
      setFailure(null);
      return;
    }
    const timer = setTimeout(() => {
      api.patients.search({ q: query, mode: 'suggest' }).then(
        (r) => {
          if (mine !== seq.current) return;
          setHits(r.results);
          setMore(r.more);
          setFailure(null);
          combobox.openDropdown();
          combobox.selectFirstOption();
        },
        (err: unknown) => {
          if (mine !== seq.current) return;
          setHits([]);
          setFailure(t('search.failed', { message: failureText(err) }));
          combobox.openDropdown();
        },
      );
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [q]);

  const submit = (value: string) => {
    combobox.closeDropdown();
    if (value === '__all') {
      go('patients', { q: q.trim() });
    } else {
      const hit = hits.find((h) => String(h.patientId) === value);
      if (hit?.episodeId) go('chart', { episodeId: hit.episodeId });
    }
    setQ('');
  };

  return (
    <Combobox store={combobox} onOptionSubmit={submit} width={420} position="bottom-start">
      <Combobox.Target>
        <TextInput
          aria-label={t('search.label')}
          placeholder={t('search.placeholder')}
          leftSection={<IconSearch size={16} />}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          onFocus={() => q.trim() && combobox.openDropdown()}
          onBlur={() => combobox.closeDropdown()}
          w={260}
          className="patient-search-box"
          data-testid="patient-search"
        />
      </Combobox.Target>
      <Combobox.Dropdown hidden={q.trim() === ''}>
        <Combobox.Options mah={440} style={{ overflowY: 'auto' }} data-testid="patient-search-results">
          {failure && <Combobox.Empty>{failure}</Combobox.Empty>}
          {!failure && hits.length === 0 && <Combobox.Empty>{t('search.none')}</Combobox.Empty>}
          {hits.map((h) => (
            <Combobox.Option value={String(h.patientId)} key={h.patientId} disabled={!h.episodeId}>
              <Group justify="space-between" wrap="nowrap" gap="xs">
                <div style={{ minWidth: 0, flex: 1 }}>
                  <Text fw={600} size="sm">
                    {h.name}
                    <Text span c="dimmed" size="xs" ml={6}>
                      {t(`sex.${h.sex}`)} · {h.ageYears === null ? t('common.unknown') : t('patient.age_years', { n: h.ageYears })}
                    </Text>
                  </Text>
                  <Text size="xs" c="dimmed">
                    {[h.idCardMasked, h.facilityName].filter(Boolean).join(' · ')}
                  </Text>
                </div>
                {/* The bed and ward are never cut: the name side gives way (issue 18). */}
                <Badge
                  variant="light"
                  color={h.status === 'active' ? (h.bedLabel ? 'blue' : 'yellow') : 'gray'}
                  size="sm"
                  style={{ flexShrink: 0, maxWidth: 'none' }}
                  styles={{ label: { overflow: 'visible' } }}
                >
                  {hitPlace(h, t)}
                </Badge>
              </Group>
            </Combobox.Option>
          ))}
          {more && (
            <Text size="xs" c="dimmed" px="sm" py={4}>
              {t('search.more', { n: hits.length })}
            </Text>
          )}
          <Combobox.Option value="__all">
            <Text size="sm" c="teal" fw={500}>
              {t('search.all')}
            </Text>
          </Combobox.Option>
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
