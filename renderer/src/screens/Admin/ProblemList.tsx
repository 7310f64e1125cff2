import { List } from '@mantine/core';
import type { Verification } from '../../../../shared/api/backup';
import { useI18n } from '../../lib/i18n';

/** What a backup's verification found wrong, translated: shown by the backup list and the restore dialog. */
export function ProblemList({ verification }: { verification: Verification }) {
  const { t } = useI18n();
  return (
    <List size="sm">
      {verification.problems.map((p) => (
        <List.Item key={p.key}>{t(p.key, p.params)}</List.Item>
      ))}
    </List>
  );
}
