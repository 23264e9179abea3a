import '@hall/ui/tokens.css';
import './kiosk.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { connectStation, createAppI18n, StationProvider } from '@hall/ui';
import { App } from './App';
import { en } from './i18n/en';
import { zhCN } from './i18n/zh-CN';
import { LockerGate } from './locker/LockerGate';

const params = new URLSearchParams(window.location.search);
/** Tests and demos shorten the idle timeout with ?idle=<ms>; a hall keeps the default. */
const idleTimeoutMs = Number(params.get('idle') ?? 90_000);
/** ?voice=elderly: the hall has spoken prompts come on with elderly mode. */
const settings = { idleTimeoutMs, idleWarnMs: Math.min(20_000, Math.floor(idleTimeoutMs / 2)), voiceWithElderly: params.get('voice') === 'elderly' };

const i18n = createAppI18n({ 'zh-CN': zhCN, en });
const station = connectStation();
const root = document.getElementById('root');
if (!root) throw new Error('no #root element');
createRoot(root).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <StationProvider connection={station}>
        <LockerGate>
          <App settings={settings} />
        </LockerGate>
      </StationProvider>
    </I18nextProvider>
  </StrictMode>,
);
