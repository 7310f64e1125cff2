import { useState } from 'react';
import { ActionIcon, Button, Group, Paper, Select, SimpleGrid, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconDeviceFloppy, IconTrash } from '@tabler/icons-react';
import { CASE_FIELDS, type CaseField, type CaseMapping } from '../../../../shared/import/cases';
import { useI18n } from '../../lib/i18n';
import { TitleHint } from '../../components/TitleHint';

export interface PresetView {
  name: string;
  columns: Record<string, string>;
}

/** Spreadsheet column letters, as the admin sees them in Excel: A … Z, AA … */
export function columnLetter(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Which column of the file fills which field; presets save the choice by header text. */
export function MappingPanel({
  header,
  mapping,
  errors,
  presets,
  onChange,
  onApplyPreset,
  onSavePreset,
  onDeletePreset,
}: {
  header: readonly string[];
  mapping: CaseMapping;
  errors: Record<string, string>;
  presets: readonly PresetView[];
  onChange: (m: CaseMapping) => void;
  onApplyPreset: (p: PresetView) => void;
  onSavePreset: (name: string) => void;
  onDeletePreset: (name: string) => void;
}) {
  const { t } = useI18n();
  const [presetName, setPresetName] = useState('');
  const [chosen, setChosen] = useState<string | null>(null);
  const options = [{ value: '', label: t('import.not_in_file') }, ...header.map((h, i) => ({ value: String(i), label: `${columnLetter(i)} · ${h || '—'}` }))];
  const set = (field: CaseField, v: string | null) => onChange({ ...mapping, [field]: v === null || v === '' ? null : Number(v) });
  const preset = presets.find((p) => p.name === chosen);

  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end" wrap="wrap">
          <TitleHint order={4} title={t('import.mapping')} hint={t('import.mapping_hint')} />
          <Group gap="xs" align="flex-end">
            <Select
              label={t('import.preset')}
              placeholder={t('import.preset_placeholder')}
              data={presets.map((p) => p.name)}
              value={chosen}
              onChange={setChosen}
              w={200}
              clearable
            />
            <Button variant="light" disabled={!preset} onClick={() => preset && onApplyPreset(preset)}>
              {t('import.preset_apply')}
            </Button>
            <Tooltip label={t('import.preset_delete')}>
              <ActionIcon
                variant="subtle"
                color="red"
                size="lg"
                aria-label={t('import.preset_delete')}
                disabled={!preset}
                onClick={() => {
                  if (preset) onDeletePreset(preset.name);
                  setChosen(null);
                }}
              >
                <IconTrash size={18} />
              </ActionIcon>
            </Tooltip>
            <TextInput label={t('import.preset_name')} value={presetName} onChange={(e) => setPresetName(e.currentTarget.value)} w={180} />
            <Button
              variant="default"
              leftSection={<IconDeviceFloppy size={16} />}
              disabled={presetName.trim() === ''}
              onClick={() => {
                onSavePreset(presetName.trim());
                setPresetName('');
              }}
            >
              {t('import.preset_save')}
            </Button>
          </Group>
        </Group>
        {errors._form && (
          <Text c="red" size="sm" role="alert">
            {errors._form}
          </Text>
        )}
        <SimpleGrid cols={{ base: 3, lg: 4 }} spacing="sm" verticalSpacing="xs">
          {CASE_FIELDS.map((f) => (
            <Select
              key={f}
              label={t(`import.field.${f}`)}
              data={options}
              value={mapping[f] === null ? '' : String(mapping[f])}
              onChange={(v) => set(f, v)}
              error={errors[f]}
              allowDeselect={false}
              searchable
              data-testid={`map-${f}`}
            />
          ))}
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}
