import { useRef, useState } from 'react';
import { ActionIcon, Alert, Badge, Combobox, Drawer, Group, Stack, Text, TextInput, useCombobox } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { SaveMedicationsSchema, type AntiviralView, type MedicationItem } from '../../../../shared/api/antiviral';
import { matchMedicine, searchMedicines, splitMedicationText, type Medicine } from '../../../../shared/clinical/medicines';
import { formatLocal } from '../../../../shared/domain/time';
import { useApiForm } from '../../lib/apiForm';
import { useI18n } from '../../lib/i18n';
import { VersionedEditorFooter } from '../../components/VersionedEditorFooter';
import { NewDataNotice } from '../../components/live/NewDataNotice';
import { medicineName } from '../../components/antiviral/parts';

/** The free-text choice at the end of the search's options. */
const FREE = '__free__';

interface Row {
  code: string | null;
  text: string;
  dose: string;
}

interface Values extends Record<string, unknown> {
  items: Row[];
  changeNote: string;
}

/** Where the editor starts: the current list, or the admission's free text split into lines. */
export type MedicationStart = { from: 'list' } | { from: 'legacy'; text: string };

function rowsOf(view: AntiviralView, start: MedicationStart): Row[] {
  if (start.from === 'legacy')
    return splitMedicationText(start.text).map(({ text, medicine }) => {
      // "辛伐他汀 20mg qn": the medicine's name is the match; what follows it is the dose.
      const name = medicine ? [medicine.zh, medicine.en, ...medicine.aliases].find((n) => text.toLowerCase().startsWith(n.toLowerCase())) : undefined;
      return name ? { code: medicine!.code, text: text.slice(0, name.length), dose: text.slice(name.length).trim() } : { code: medicine?.code ?? null, text, dose: '' };
    });
  return (view.medications?.items ?? []).map((i) => ({ code: i.code, text: i.text, dose: i.dose ?? '' }));
}

/**
 * 长期用药清单: medicines found by Chinese or English generic name or pinyin initials (Enter adds the
 * highlighted one), free text for anything the lexicon lacks, a dose for each; saved as the next version.
 */
export function MedicationEditor({ view, start, timeZone, onClose }: { view: AntiviralView; start: MedicationStart; timeZone: string; onClose: () => void }) {
  const { t, locale } = useI18n();
  // The version this edit starts from: a newer one saved meanwhile is a conflict, never overwritten.
  const [base, setBase] = useState(view.medications);
  const doseRefs = useRef<(HTMLInputElement | null)[]>([]);
  const { form, save, busy, formError } = useApiForm('antiviral:saveMedications', {
    initialValues: { items: rowsOf(view, start), changeNote: '' } as Values,
    toInput: (v) => ({
      episodeId: view.episodeId,
      baseVersion: base?.version ?? 0,
      items: v.items.map((i): MedicationItem => ({ code: i.code, text: i.text, dose: i.dose.trim() === '' ? null : i.dose })),
      changeNote: v.changeNote,
    }),
    schema: SaveMedicationsSchema,
    success: (r) => t('antiviral_ui.meds.saved', { n: r.version }),
    onDone: onClose,
  });
  const items = form.values.items;
  const add = (row: Row) => {
    form.setFieldValue('items', [...items, row]);
    // The dose is what is typed next.
    setTimeout(() => doseRefs.current[items.length]?.focus(), 0);
  };
  const addMedicine = (m: Medicine) => add({ code: m.code, text: locale === 'en' ? m.en : m.zh, dose: '' });
  const addFree = (typed: string) => {
    const m = matchMedicine(typed);
    add({ code: m?.code ?? null, text: typed, dose: '' });
  };
  const setRow = (i: number, patch: Partial<Row>) =>
    form.setFieldValue(
      'items',
      items.map((r, k) => (k === i ? { ...r, ...patch } : r)),
    );
  const remove = (i: number) =>
    form.setFieldValue(
      'items',
      items.filter((_, k) => k !== i),
    );

  const newer = view.medications && view.medications.version !== (base?.version ?? 0) ? view.medications : null;
  const nextVersion = (base?.version ?? 0) + 1;

  return (
    <Drawer opened onClose={onClose} position="right" size={720} title={t('antiviral_ui.meds.editor_title', { n: nextVersion })}>
      <Stack gap="sm" data-testid="medication-editor">
        <NewDataNotice episodeId={view.episodeId} />
        {start.from === 'legacy' && (
          <Alert color="blue" variant="light">
            <Text size="sm" fw={600}>
              {t('antiviral_ui.meds.legacy_title')}
              {t('punct.colon')}
              {start.text}
            </Text>
            <Text size="sm">{t('antiviral_ui.meds.converted_from', { n: items.length })}</Text>
          </Alert>
        )}
        <MedicineSearch onMedicine={addMedicine} onFree={addFree} />

        {items.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('antiviral_ui.meds.empty_editor')}
          </Text>
        )}
        <Stack gap={6} data-testid="medication-rows">
          {items.map((r, i) => {
            const name = medicineName(r.code, r.text, locale);
            return (
              <Group key={i} gap="xs" wrap="nowrap" align="flex-start" data-medicine={r.code ?? r.text}>
                <Stack gap={2} style={{ flex: '1 1 14rem', minWidth: 0 }} pt={6}>
                  <Text size="sm" fw={600} title={r.text}>
                    {name}
                  </Text>
                  {r.code === null && (
                    <Badge size="sm" tt="none" variant="light" color="gray" w="fit-content" title={t('antiviral_ui.meds.free_text_hint')}>
                      {t('antiviral_ui.meds.free_text')}
                    </Badge>
                  )}
                  {form.errors[`items.${i}.text`] && (
                    <Text size="xs" c="red">
                      {form.errors[`items.${i}.text`]}
                    </Text>
                  )}
                </Stack>
                <TextInput
                  ref={(el) => {
                    doseRefs.current[i] = el;
                  }}
                  style={{ flex: '1 1 12rem' }}
                  aria-label={t('antiviral_ui.meds.dose_of', { name })}
                  placeholder={t('antiviral_ui.meds.dose_placeholder')}
                  value={r.dose}
                  onChange={(e) => setRow(i, { dose: e.currentTarget.value })}
                  error={form.errors[`items.${i}.dose`]}
                  maxLength={100}
                />
                <ActionIcon
                  variant="subtle"
                  color="red"
                  size="lg"
                  onClick={() => remove(i)}
                  aria-label={t('antiviral_ui.meds.remove', { name })}
                  title={t('antiviral_ui.meds.remove', { name })}
                >
                  <IconTrash size={18} />
                </ActionIcon>
              </Group>
            );
          })}
        </Stack>
        {form.errors.items && (
          <Text size="sm" c="red">
            {form.errors.items}
          </Text>
        )}
        <TextInput
          label={t('antiviral_ui.meds.change_note')}
          description={base ? t('antiviral_ui.meds.change_note_hint') : undefined}
          required={base !== null}
          {...form.getInputProps('changeNote')}
          maxLength={300}
        />
        <VersionedEditorFooter
          newer={
            newer && {
              message: t('antiviral_ui.meds.newer', { n: newer.version, who: newer.authorName, at: formatLocal(newer.createdAt, timeZone) }),
              loadLabel: t('antiviral_ui.meds.load_newer', { n: newer.version }),
              onLoad: () => {
                setBase(newer);
                form.setValues({ items: rowsOf(view, { from: 'list' }), changeNote: '' });
              },
              testId: 'medications-newer',
            }
          }
          formError={formError}
          busy={busy}
          onSave={() => void save()}
          saveLabel={t('antiviral_ui.meds.save')}
          saveTestId="save-medications"
          onCancel={onClose}
        />
      </Stack>
    </Drawer>
  );
}

/**
 * The search: Chinese or English generic names and pinyin initials; the best match is highlighted so
 * Enter adds it, and the last option (or Enter when nothing matches) adds what was typed as free text.
 */
function MedicineSearch({ onMedicine, onFree }: { onMedicine: (m: Medicine) => void; onFree: (text: string) => void }) {
  const { t, locale } = useI18n();
  const [query, setQuery] = useState('');
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const hits = searchMedicines(query, 8);
  const typed = query.trim();
  const close = () => {
    setQuery('');
    combobox.closeDropdown();
  };
  return (
    <Combobox
      store={combobox}
      onOptionSubmit={(value) => {
        const m = hits.find((h) => h.code === value);
        if (m) onMedicine(m);
        else if (typed) onFree(typed);
        close();
      }}
      withinPortal
    >
      <Combobox.Target>
        <TextInput
          label={t('antiviral_ui.meds.search')}
          description={t('antiviral_ui.meds.search_hint')}
          placeholder={t('antiviral_ui.meds.search_placeholder')}
          value={query}
          data-testid="medicine-search"
          onChange={(e) => {
            setQuery(e.currentTarget.value);
            combobox.openDropdown();
            // The best match is highlighted, so Enter adds it.
            setTimeout(() => combobox.selectFirstOption(), 0);
          }}
          onFocus={() => typed && combobox.openDropdown()}
          onBlur={() => combobox.closeDropdown()}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && combobox.getSelectedOptionIndex() < 0) {
              e.preventDefault();
              if (typed) onFree(typed);
              close();
            }
          }}
          data-autofocus
        />
      </Combobox.Target>
      <Combobox.Dropdown hidden={!typed}>
        <Combobox.Options mah={320} style={{ overflowY: 'auto' }}>
          {hits.map((m) => (
            <Combobox.Option value={m.code} key={m.code}>
              <Group gap={6} wrap="nowrap" justify="space-between">
                <Text size="sm">
                  {locale === 'en' ? `${m.en} · ${m.zh}` : `${m.zh} · ${m.en}`}
                  <Text span size="xs" c="inherit">
                    {' '}
                    {m.pinyin}
                  </Text>
                </Text>
                <Text size="xs" c="inherit" style={{ flexShrink: 0 }}>
                  {t(`drug_class.${m.drugClass}`)}
                </Text>
              </Group>
            </Combobox.Option>
          ))}
          {typed && (
            <Combobox.Option value={FREE}>
              <Text size="sm" fs="italic">
                {t('antiviral_ui.meds.add_free', { text: typed })}
              </Text>
            </Combobox.Option>
          )}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
