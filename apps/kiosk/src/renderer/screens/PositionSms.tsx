import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_POSITION_SMS_AHEAD, isMobilePhone, maskPhone, rejectionCode, StationCallError } from '@hall/shared';
import { BigButton, OnScreenKeyboard, useRoleStation } from '@hall/ui';
import { useHall } from '../state/catalogue';

type Step = { kind: 'offer' } | { kind: 'typing' } | { kind: 'sending' } | { kind: 'done'; masked: string; pendingSync: boolean } | { kind: 'failed'; code: string };

/** 138 0013 8000: the groups people read their number in, so an elderly citizen can check it. */
const grouped = (digits: string) => [digits.slice(0, 3), digits.slice(3, 7), digits.slice(7)].filter(Boolean).join(' ');

/**
 * 到号前短信提醒: after taking a ticket a citizen may leave a mobile number on the on-screen
 * keypad and be texted once when N people are left ahead (the hall's calling rules). The
 * number lives in this component only until it is handed to the station; what the screen
 * shows afterwards is masked.
 */
export function PositionSmsOffer({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const station = useRoleStation<'kiosk'>();
  const ahead = useHall((s) => s.catalogue?.callingRules.positionSmsAhead ?? DEFAULT_POSITION_SMS_AHEAD);
  const [step, setStep] = useState<Step>({ kind: 'offer' });
  const [phone, setPhone] = useState('');

  const send = async () => {
    setStep({ kind: 'sending' });
    try {
      const { pendingSync } = await station.call('kiosk.positionSms', { ticketId, phone });
      setStep({ kind: 'done', masked: maskPhone(phone), pendingSync });
    } catch (error) {
      setStep({ kind: 'failed', code: rejectionCode(error) ?? (error instanceof StationCallError ? error.error.code : 'error') });
    }
    setPhone('');
  };

  if (step.kind === 'offer') {
    return (
      <BigButton variant="secondary" size="large" hint={t('positionSms.hint', { count: ahead })} onClick={() => setStep({ kind: 'typing' })} data-testid="position-sms-offer">
        {t('positionSms.offer')}
      </BigButton>
    );
  }
  if (step.kind === 'done') {
    return (
      <div className="notice ok" role="status" data-testid="position-sms-done">
        {t(step.pendingSync ? 'positionSms.donePending' : 'positionSms.done', { count: ahead, phone: step.masked })}
      </div>
    );
  }
  if (step.kind === 'failed') {
    return (
      <div className="notice warn" role="alert" data-testid="position-sms-failed" data-code={step.code}>
        {step.code === 'ticket_not_waiting' ? t('positionSms.tooLate') : t('positionSms.failed')}
      </div>
    );
  }
  const complete = phone.length === 11;
  const valid = isMobilePhone(phone);
  return (
    <div className="position-sms-overlay" role="dialog" aria-modal="true" aria-labelledby="position-sms-title" data-testid="position-sms-keypad">
      <div className="position-sms-panel">
        <div className="position-sms-text">
        <h2 id="position-sms-title">{t('positionSms.title')}</h2>
        <p>{t('positionSms.explain', { count: ahead })}</p>
        <div className="id-display position-sms-phone" data-testid="position-sms-phone">
          {grouped(phone) || '\u00a0'}
        </div>
        {complete && !valid && (
          <div className="field-error" role="alert" data-testid="position-sms-invalid">
            {t('positionSms.invalid')}
          </div>
        )}
        </div>
        <div className="position-sms-keys">
        <OnScreenKeyboard
          layout="tel"
          onInput={(c) => setPhone((p) => (p + c).slice(0, 11))}
          onBackspace={() => setPhone((p) => p.slice(0, -1))}
          onClear={() => setPhone('')}
        />
        </div>
        <div className="position-sms-actions">
          <BigButton
            variant="secondary"
            size="large"
            onClick={() => {
              setPhone('');
              setStep({ kind: 'offer' });
            }}
            data-testid="position-sms-cancel"
          >
            {t('positionSms.cancel')}
          </BigButton>
          <BigButton variant="primary" size="large" disabled={!valid || step.kind === 'sending'} onClick={() => void send()} data-testid="position-sms-confirm">
            {t('positionSms.confirm')}
          </BigButton>
        </div>
      </div>
    </div>
  );
}
