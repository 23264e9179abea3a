import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { connectStation, createAppI18n, StationProvider } from '@hall/ui';
import '@hall/ui/tokens.css';
import './display.css';
import { DisplayApp } from './App';
import { displayMessages } from './messages';

const i18n = createAppI18n(displayMessages as unknown as Record<'zh-CN' | 'en', Record<string, unknown>>);
const station = connectStation();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <StationProvider connection={station}>
          <DisplayApp />
        </StationProvider>
      </I18nextProvider>
    </StrictMode>,
  );
}
