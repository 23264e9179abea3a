import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { localDateTime, type KioskAppointment } from '@hall/shared';
import { BigButton, localized, useRoleStation } from '@hall/ui';
import { useHall } from '../state/catalogue';
import { useFlow } from '../state/flow';
import { useSession } from '../state/session';
import { Frame } from './Frame';

/** 预约签到: the identified citizen's appointments today, each with what the hall's rules allow now. */
export function Appointment() {
  const { t, i18n } = useTranslation();
  const station = useRoleStation<'kiosk'>();
  const citizen = useSession((s) => s.citizen);
  const busy = useSession((s) => s.busy);
  const catalogue = useHall((s) => s.catalogue);
  const { checkIn, ordinaryTicket } = useFlow();
  const [list, setList] = useState<KioskAppointment[]>();
  /** Whether the central API answered this lookup (offline the kiosk uses the list it stored last). */
  const [fresh, setFresh] = useState(true);

  useEffect(() => {
    if (!citizen) return;
    let live = true;
    station.call('kiosk.appointments', { citizenHandle: citizen.handle }).then(
      (found) => {
        if (!live) return;
        setList(found.appointments);
        setFresh(found.fresh);
      },
      () => live && useSession.getState().set({ error: 'errors.generic' }),
    );
    return () => {
      live = false;
    };
  }, [station, citizen]);

  const timeZone = catalogue?.hall.timeZone ?? 'Asia/Shanghai';
  const late = catalogue?.callingRules.appointmentLateMinutes ?? 0;
  const serviceName = (id: string) => {
    const service = catalogue?.services.find((s) => s.id === id);
    return service ? localized(service.name, i18n.language) : id;
  };
  const takeTicket = () => {
    useSession.getState().set({ journey: 'ticket' });
    useSession.getState().go('services');
  };
  const clock = (iso: string) => localDateTime(iso, timeZone).slice(11, 16);

  return (
    <Frame title={t('appointment.title')} testId="appointment">
      {list === undefined ? (
        <p className="muted">{t('appointment.loading')}</p>
      ) : list.length === 0 ? (
        <div className="appointment-none" data-testid="appointment-none">
          <p className="refusal-text">{fresh ? t('appointment.none') : t('appointment.noneOffline')}</p>
          <BigButton size="large" onClick={takeTicket} data-testid="appointment-take-ticket">
            {t('appointment.takeTicketInstead')}
          </BigButton>
        </div>
      ) : (
        <ul className="appointment-list">
          {list.map((a) => {
            const slot = `${a.slot.from}–${a.slot.to}`;
            return (
              <li key={a.id} className="appointment-card" data-testid={`appointment-${a.id}`} data-state={a.state}>
                <div className="appointment-service" data-testid="appointment-services">{[a.serviceId, ...(a.moreServiceIds ?? [])].map(serviceName).join('、')}</div>
                <div className="appointment-slot">{t('appointment.slot', { slot })}</div>
                <p className="appointment-rule" data-testid="appointment-rule">
                  {a.state === 'open' && t('appointment.open')}
                  {a.state === 'late' && t('appointment.late', { slot, minutes: late })}
                  {a.state === 'early' && t('appointment.early', { slot, time: clock(a.checkInFrom) })}
                  {a.state === 'checked_in' && t('appointment.checkedIn')}
                </p>
                <div className="appointment-actions">
                  {(a.state === 'open' || a.state === 'late') && (
                    <BigButton variant="primary" size="large" disabled={busy} onClick={() => void checkIn(a.id)} data-testid="appointment-check-in">
                      {a.state === 'open' ? t('appointment.checkIn') : t('appointment.checkInOrdinary')}
                    </BigButton>
                  )}
                  {a.state === 'early' && (
                    <BigButton size="large" disabled={busy} onClick={() => ordinaryTicket(a.serviceId)} data-testid="appointment-ordinary">
                      {t('appointment.ordinaryNow')}
                    </BigButton>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </Frame>
  );
}
