import { useTranslation } from 'react-i18next';
import { BigButton, localized } from '@hall/ui';
import { useHall } from '../state/catalogue';
import { useFlow } from '../state/flow';
import { useSession, type KioskMatter } from '../state/session';
import { Frame } from './Frame';

/**
 * 一号联办 at the kiosk: the matters put together for one ticket, whom each is for, and
 * one ticket for all. A family member is identified by placing their own ID card for
 * their matter, so each case later belongs to the right person.
 */
export function Matters() {
  const { t } = useTranslation();
  const matters = useSession((s) => s.matters);
  const awaiting = useSession((s) => s.awaitingMember);
  const busy = useSession((s) => s.busy);
  const { issueAndShow } = useFlow();
  const name = useServiceName();
  return (
    <Frame
      title={t('matters.title')}
      testId="matters"
      footer={
        <>
          <BigButton variant="secondary" size="large" onClick={() => useSession.getState().go('services')} disabled={busy} data-testid="matters-add">
            + {t('matters.add')}
          </BigButton>
          <BigButton variant="primary" size="large" onClick={() => void issueAndShow()} disabled={busy || matters.length === 0 || awaiting !== undefined} data-testid="matters-issue">
            {t('matters.issue', { count: matters.length })}
          </BigButton>
        </>
      }
    >
      {matters.length === 0 ? (
        <p className="muted" data-testid="matters-empty">
          {t('matters.empty')}
        </p>
      ) : (
        <ol className="matter-list">
          {matters.map((matter, index) => (
            <MatterRow key={matter.serviceId} matter={matter} index={index} />
          ))}
        </ol>
      )}
      {awaiting !== undefined && (
        <div className="notice warn matter-awaiting" role="status" data-testid="matter-awaiting">
          <span>{t('matters.placeCard', { service: name(awaiting) })}</span>
          <BigButton variant="ghost" onClick={() => useSession.getState().set({ awaitingMember: undefined })} data-testid="matter-awaiting-cancel">
            {t('matters.cancelMember')}
          </BigButton>
        </div>
      )}
    </Frame>
  );
}

function MatterRow({ matter, index }: { matter: KioskMatter; index: number }) {
  const { t } = useTranslation();
  const citizen = useSession((s) => s.citizen);
  const awaiting = useSession((s) => s.awaitingMember);
  const { removeMatter, setMember, set } = useSession.getState();
  const name = useServiceName();
  const who = matter.member
    ? t('matters.member', { name: matter.member.maskedName ?? matter.member.maskedIdNumber })
    : t('matters.self', { name: citizen?.maskedName ?? '' });
  return (
    <li className="matter-row" data-testid={`matter-${matter.serviceId}`}>
      <div className="matter-text">
        <span className="matter-index">{t('matters.index', { index: index + 1 })}</span>
        <span className="matter-name">{name(matter.serviceId)}</span>
        <span className="matter-who" data-testid={`matter-who-${matter.serviceId}`}>
          {who}
        </span>
      </div>
      <div className="matter-actions">
        {matter.member ? (
          <BigButton variant="ghost" onClick={() => setMember(matter.serviceId, undefined)} data-testid={`matter-self-${matter.serviceId}`}>
            {t('matters.forSelf')}
          </BigButton>
        ) : (
          <BigButton variant="secondary" disabled={awaiting !== undefined} onClick={() => set({ awaitingMember: matter.serviceId })} data-testid={`matter-family-${matter.serviceId}`}>
            {t('matters.forFamily')}
          </BigButton>
        )}
        <BigButton variant="danger" onClick={() => removeMatter(matter.serviceId)} data-testid={`matter-remove-${matter.serviceId}`}>
          {t('matters.remove')}
        </BigButton>
      </div>
    </li>
  );
}

function useServiceName(): (serviceId: string) => string {
  const { i18n } = useTranslation();
  const services = useHall((s) => s.catalogue?.services);
  return (serviceId) => {
    const service = services?.find((s) => s.id === serviceId);
    return service ? localized(service.name, i18n.language) : serviceId;
  };
}
