import { SegmentedControl } from '@mantine/core';
import { useI18n } from '../lib/i18n';
import type { Locale } from '../../../shared/i18n';

export function LocaleSwitch() {
  const { locale, setLocale } = useI18n();
  return (
    <SegmentedControl
      size="xs"
      value={locale}
      onChange={(v) => setLocale(v as Locale)}
      data={[
        { value: 'zh-CN', label: '中文' },
        { value: 'en', label: 'EN' },
      ]}
      aria-label="Language / 语言"
    />
  );
}
