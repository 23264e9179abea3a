import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseIdNumber, rejectionCode } from '@hall/shared';
import { BigButton, MaskedIdNumber, OnScreenKeyboard, useRoleStation } from '@hall/ui';
import { usePriorityGroups } from '../state/catalogue';
import { useFlow } from '../state/flow';
import { useSession } from '../state/session';
import { CardIcon } from './CardIcon';
import { Frame } from './Frame';

export function Identify() {
  const { t, i18n } = useTranslation();
  const station = useRoleStation<'kiosk'>();
  const citizen = useSession((s) => s.citizen);
  const journey = useSession((s) => s.journey);
  const busy = useSession((s) => s.busy);
  const { afterIdentify } = useFlow();
  const groups = usePriorityGroups();
  const [typing, setTyping] = useState(false);
  const [digits, setDigits] = useState('');
  const [problem, setProblem] = useState<string>();

  const confirm = async () => {
    // Checked here for an instant answer, and again by the station.
    const parsed = parseIdNumber(digits);
    if (!parsed.ok) {
      setProblem(parsed.problem);
      return;
    }
    try {
      const view = await station.call('kiosk.identify', { idNumber: digits });
      setDigits('');
      setTyping(false);
      useSession.getState().setCitizen(view);
    } catch (error) {
      const reason = rejectionCode(error);
      setProblem(reason?.startsWith('id_') ? reason.slice(3) : 'format');
    }
  };

  const group = citizen?.priorityGroupId ? groups.find((g) => g.id === citizen.priorityGroupId) : undefined;
  return (
    <Frame title={t('identify.title')} testId="identify">
      {citizen ? (
        <div className="identified" data-testid="identified">
          <div className="identified-label">{t('identify.identified')}</div>
          {citizen.maskedName && <div className="identified-name">{citizen.maskedName}</div>}
          {citizen.source === 'residenceCode' ? (
            <div data-testid="residence-code">{t('identify.codeVerified')}</div>
          ) : (
            <MaskedIdNumber idNumber={citizen.maskedIdNumber} alreadyMasked />
          )}
          {citizen.age !== undefined && <div>{t('identify.age', { age: citizen.age })}</div>}
          {group && (
            <div className="priority-badge" data-testid="priority">
              {t('identify.priority', { group: i18n.language === 'en' ? (group.name.en ?? group.name.zh) : group.name.zh })}
            </div>
          )}
          <BigButton variant="primary" size="large" disabled={busy} onClick={afterIdentify} data-testid="identify-continue">
            {t('identify.continue')}
          </BigButton>
        </div>
      ) : typing ? (
        <div className="typing">
          <label className="field-label">{t('identify.numberLabel')}</label>
          <div className="id-display" data-testid="id-display">
            {digits || '\u00a0'}
          </div>
          {problem && (
            <div className="field-error" role="alert" data-testid="id-error">
              {t(`identify.invalid.${problem}`)}
            </div>
          )}
          <OnScreenKeyboard
            layout="id"
            onInput={(c) => {
              setProblem(undefined);
              setDigits((d) => (d + c).slice(0, 18));
            }}
            onBackspace={() => setDigits((d) => d.slice(0, -1))}
            onClear={() => setDigits('')}
            onDone={() => void confirm()}
          />
        </div>
      ) : (
        <div className="identify-options">
          <div className="card-reader" data-testid="place-card">
            <CardIcon />
            <div className="card-text">{t('identify.placeCard')}</div>
            <div className="muted">{t('identify.placeCardHint')}</div>
            <div className="muted">{t('identify.scanCode')}</div>
          </div>
          <BigButton size="large" onClick={() => setTyping(true)} data-testid="identify-type">
            {t('identify.typeNumber')}
          </BigButton>
          {journey !== 'guided' && journey !== 'appointment' && (
            <BigButton variant="ghost" onClick={afterIdentify} data-testid="identify-skip">
              {t('identify.skip')}
            </BigButton>
          )}
        </div>
      )}
    </Frame>
  );
}
