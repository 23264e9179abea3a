import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { createAppI18n } from '@hall/ui';
import '@fontsource/noto-sans-sc/400.css';
import '@fontsource/noto-sans-sc/700.css';
import './console.css';
import { App } from './App';
import { consoleMessages } from './messages';

const language = localStorage.getItem('hall-console-language') === 'en' ? 'en' : 'zh-CN';
const i18n = createAppI18n(consoleMessages, language);
i18n.on('languageChanged', (lng) => {
  localStorage.setItem('hall-console-language', lng);
  document.documentElement.lang = lng;
});

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
createRoot(root).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <App />
    </I18nextProvider>
  </StrictMode>,
);
