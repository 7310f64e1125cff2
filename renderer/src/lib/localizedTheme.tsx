import { useMemo, type ReactNode } from 'react';
import { Drawer, MantineThemeProvider, Modal } from '@mantine/core';
import { useI18n } from './i18n';

/**
 * Theme defaults that need the UI's language: every modal's and drawer's close button is named
 * ("关闭" / "Close"), which Mantine leaves unnamed (axe: button-name, critical). Merged over the
 * app's theme (theme.ts), which stays language-free.
 */
export function LocalizedTheme({ children }: { children: ReactNode }) {
  const { t, locale } = useI18n();
  const theme = useMemo(() => {
    const closeButtonProps = { 'aria-label': t('common.close') };
    return {
      components: {
        Modal: Modal.extend({ defaultProps: { closeButtonProps } }),
        Drawer: Drawer.extend({ defaultProps: { closeButtonProps } }),
      },
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- t changes with the locale
  }, [locale]);
  return (
    <MantineThemeProvider theme={theme} inherit>
      {children}
    </MantineThemeProvider>
  );
}
