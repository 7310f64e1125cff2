import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/charts/styles.css';
import './app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { theme } from './theme';
import { I18nProvider } from './lib/i18n';
import { LocalizedTheme } from './lib/localizedTheme';
import { QueryProvider } from './lib/query';
import { App } from './App';

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light">
      {/* Bottom left, inside the navigation column (200 px less its margins) below the menu: a toast
          never covers the header (PPE switch, language, logout) or a screen's controls (issue 13). */}
      <Notifications position="bottom-left" containerWidth={168} limit={2} />
      <I18nProvider>
        <LocalizedTheme>
          <QueryProvider>
            <App />
          </QueryProvider>
        </LocalizedTheme>
      </I18nProvider>
    </MantineProvider>
  </StrictMode>,
);
