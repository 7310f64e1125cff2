import { useEffect, useState } from 'react';
import { Notification } from '@mantine/core';
import type { NotificationData } from '@mantine/notifications';
import { useI18n } from '../../lib/i18n';

export type RoundToastData = NotificationData & { seq: number };

const SHOWN_MS = 6000;

/**
 * Round mode's save message: one at a time (each save replaces the last), in a slot of the screen's
 * own header row, so it takes its place in the layout and can never cover a control, in PPE mode or
 * not (a floating toast stack covered Next bed, Skip, Labs and the badges: issue 13). The slot keeps
 * its size when the message fades, so nothing moves.
 */
export function RoundToast({ toast }: { toast: RoundToastData | null }) {
  const { t } = useI18n();
  const [shown, setShown] = useState<number | null>(null);
  useEffect(() => {
    if (!toast) return;
    setShown(toast.seq);
    const timer = setTimeout(() => setShown(null), SHOWN_MS);
    return () => clearTimeout(timer);
  }, [toast]);

  return (
    <div role="status" aria-label={t('rounds.status')} style={{ flex: '1 1 200px', minWidth: 0, minHeight: 40, display: 'flex', justifyContent: 'center', alignItems: 'center' }}>
      {toast && shown === toast.seq && (
        <Notification
          id="round-toast"
          data-testid="round-toast"
          color={toast.color}
          title={toast.title}
          icon={toast.icon}
          withCloseButton={false}
          withBorder
          py={4}
          style={{ boxShadow: 'none', maxWidth: '100%' }}
        >
          {toast.message}
        </Notification>
      )}
    </div>
  );
}
