import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RatingSchema, type Rating, type RatingRequest } from '@hall/shared';
import { useLinkState, useRoleStation, useStationEvent } from '@hall/ui';

/**
 * The citizen-facing second screen (评价器): served by the counter station at /rating and
 * shown on the monitor facing the citizen. After each finished ticket it asks for a
 * rating; the station counts no answer within the hall's timeout as "satisfied".
 */
export function RatingScreen() {
  const { t } = useTranslation();
  const station = useRoleStation<'counter'>();
  const link = useLinkState();
  const [request, setRequest] = useState<RatingRequest | null>(null);
  const [thanks, setThanks] = useState(false);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (link === 'open') void station.call('rating.pending', {}).then(setRequest, () => undefined);
  }, [station, link]);
  useStationEvent('rating.requested', (r) => {
    setThanks(false);
    setRequest(r);
  });
  useStationEvent('rating.recorded', (r) => {
    setRequest((current) => (current?.ticketId === r.ticketId ? null : current));
    setThanks(true);
    setTimeout(() => setThanks(false), 4000);
  });
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, []);
  const submit = async (rating: Rating) => {
    if (!request) return;
    await station.call('rating.submit', { ticketId: request.ticketId, rating }).catch(() => undefined);
  };
  const left = request ? Math.min(request.timeoutSeconds, Math.max(0, Math.ceil((Date.parse(request.deadline) - now) / 1000))) : 0;
  return (
    <main className="rating-screen" data-testid="rating-screen" data-state={request ? 'asking' : thanks ? 'thanks' : 'idle'}>
      {request ? (
        <>
          <h1>{t('rating.heading')}</h1>
          <p className="rating-meta">
            {t('rating.counter', { counter: request.counterNumber, staff: request.staffNumber })} · {t('rating.ticket', { number: request.ticketNumber })}
          </p>
          <div className="rating-buttons">
            {RatingSchema.options.map((r) => (
              <button key={r} className={`rating-btn rating-${r}`} data-testid={`rate-${r}`} onClick={() => void submit(r)}>
                {t(`rating.${r}`)}
              </button>
            ))}
          </div>
          <p className="rating-timeout" data-testid="rating-timeout">
            {t('rating.timeout', { seconds: left })}
          </p>
        </>
      ) : (
        <h1 className="rating-idle">{thanks ? t('rating.thanks') : t('rating.idle')}</h1>
      )}
    </main>
  );
}
