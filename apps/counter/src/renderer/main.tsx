import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { connectStation, createAppI18n, StationProvider } from '@hall/ui';
import '@hall/ui/tokens.css';
import './counter.css';
import { CounterApp } from './App';
import { counterMessages } from './messages';
import { RatingScreen } from './Rating';

const i18n = createAppI18n(counterMessages as unknown as Record<'zh-CN' | 'en', Record<string, unknown>>);
const station = connectStation();
// The same station serves the clerk's screen and, at /rating, the citizen-facing second screen.
const isRating = window.location.pathname.replace(/\/+$/, '').endsWith('/rating');

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <StationProvider connection={station}>{isRating ? <RatingScreen /> : <CounterApp />}</StationProvider>
      </I18nextProvider>
    </StrictMode>,
  );
}
