import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BigButton, OnScreenKeyboard, useStation } from '@hall/ui';
import { useSession } from '../state/session';
import { Frame } from './Frame';

/** 小票补打: the citizen types the number; only tickets this kiosk issued today are reprinted. */
export function Reprint() {
  const { t } = useTranslation();
  const station = useStation();
  const [number, setNumber] = useState('');
  const [notFound, setNotFound] = useState(false);
  const busy = useSession((s) => s.busy);
  const reprint = async () => {
    const s = useSession.getState();
    s.set({ busy: true });
    try {
      const issued = await station.call('kiosk.reprint', { number });
      s.set({ busy: false });
      if (!issued) {
        setNotFound(true);
        return;
      }
      const { refused, ...ticket } = issued;
      s.set({ issued: ticket, notAccepted: refused });
      s.go('ticket');
    } catch {
      s.set({ busy: false, error: 'errors.generic' });
    }
  };
  const valid = /^[A-Z]\d{2,4}$/.test(number);
  return (
    <Frame
      title={t('reprint.title')}
      testId="reprint"
      footer={
        <BigButton variant="primary" disabled={!valid || busy} onClick={() => void reprint()} data-testid="reprint-go">
          {t('reprint.print')}
        </BigButton>
      }
    >
      <p>{t('reprint.prompt')}</p>
      <div className="id-display" data-testid="reprint-number">
        {number || '\u00a0'}
      </div>
      {notFound && (
        <div className="field-error" role="alert" data-testid="reprint-not-found">
          {t('reprint.notFound')}
        </div>
      )}
      <OnScreenKeyboard
        layout="latin"
        onInput={(c) => {
          setNotFound(false);
          setNumber((n) => (n + c).toUpperCase().slice(0, 5));
        }}
        onBackspace={() => setNumber((n) => n.slice(0, -1))}
        onClear={() => setNumber('')}
      />
    </Frame>
  );
}
