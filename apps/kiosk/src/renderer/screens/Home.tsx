import { useTranslation } from 'react-i18next';
import { BigButton } from '@hall/ui';
import { useSession, type Journey, type Screen } from '../state/session';
import { useVoice } from '../state/voice';
import { Both } from '../locker/Both';
import { R } from './releaseText';

const ENTRIES: { journey: Journey; first: Screen; key: string; primary?: boolean }[] = [
  { journey: 'ticket', first: 'identify', key: 'takeTicket', primary: true },
  { journey: 'guided', first: 'services', key: 'guided', primary: true },
  { journey: 'appointment', first: 'identify', key: 'appointment' },
  { journey: 'consultation', first: 'identify', key: 'consultation' },
  { journey: 'pickup', first: 'identify', key: 'pickup' },
  { journey: 'reprint', first: 'reprint', key: 'reprint' },
];

export function Home() {
  const { t } = useTranslation();
  const start = useSession((s) => s.start);
  const voice = useVoice((s) => s.on);
  return (
    <section className="screen home" data-testid="screen-home">
      <h1 className="home-welcome">{t('home.welcome')}</h1>
      <p className="home-prompt">{t('home.prompt')}</p>
      <div className="home-voice">
        <BigButton variant={voice ? 'primary' : 'secondary'} aria-pressed={voice} data-testid="voice-toggle" onClick={() => useVoice.getState().setOn(!voice)}>
          {voice ? t('home.voiceOn') : t('home.voiceOff')}
        </BigButton>
      </div>
      {/* The plainest way in: say what you came for, no need to know the service's name. */}
      <div className="home-ask">
        <BigButton size="large" variant="primary" hint={t('home.askHint')} data-testid="home-ask" onClick={() => start('guided', 'ask')}>
          {t('home.ask')}
        </BigButton>
      </div>
      <div className="home-grid">
        {ENTRIES.map((e) => (
          <BigButton
            key={e.key}
            size="large"
            variant={e.primary ? 'primary' : 'secondary'}
            hint={t(`home.${e.key}Hint`)}
            data-testid={`home-${e.journey}`}
            onClick={() => start(e.journey, e.first)}
          >
            {t(`home.${e.key}`)}
          </BigButton>
        ))}
      </div>
      {/* 办件进度查询: a wide, plain entry of its own (scan the receipt or place the card). */}
      <div className="home-progress">
        <BigButton size="large" variant="secondary" hint={t('home.progressHint')} data-testid="home-progress" onClick={() => start('progress', 'progress')}>
          {t('home.progress')}
        </BigButton>
      </div>
      {/* For the floor guide (导办), not the citizen: small, out of the way, behind a password. */}
      <button type="button" className="home-release" data-testid="home-release" onClick={() => start('release', 'release')}>
        <Both text={R.entry} />
      </button>
    </section>
  );
}
