import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { clockSkewed, clockSkewMinutes } from '@hall/shared';
import { request } from '../api';
import type { PageProps } from '../App';
import { useGet } from '../useApi';

interface Live {
  today: string;
  at: string;
  counters: { id: string; number: string; name: string; kind: string; state: { status: 'open' | 'closed' | 'serving' | 'paused'; reason?: string }; clerk: string | null }[];
  queues: { id: string; prefix: string; name: string; waiting: number; longestWaitSeconds: number | null }[];
  devices: { id: string; name: string; role: string; status: 'pending' | 'online' | 'offline' | 'revoked'; lastSyncAt: string | null; counterId?: string | null; clockOffsetMs?: number | null }[];
  alerts: { kind: 'device_offline' | 'long_wait' | 'counter_paused' | 'locker'; subject: string; detail: string; id?: string; at?: string }[];
  /** Outage periods the stations reported (after their link returned), last 24 h, newest first. */
  outages?: Outage[];
  lastHallOutage?: { from: string; to: string; stations: number; maxPeers: number; localMutations: number } | null;
}

interface Outage {
  deviceId: string;
  deviceName: string;
  from: string;
  to: string;
  mode: 'mesh' | 'alone';
  maxPeers: number;
  localMutations: number;
}

const clockOf = (iso: string) => new Date(iso).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false });
const minutesBetween = (from: string, to: string) => Math.max(1, Math.round((Date.parse(to) - Date.parse(from)) / 60_000));
const spanOf = (p: { from: string; to: string }) => ({ from: clockOf(p.from), to: clockOf(p.to), minutes: minutesBetween(p.from, p.to) });

export const timeOf = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : null);

export function LivePage({ session, hallId }: PageProps) {
  const { t } = useTranslation();
  const live = useGet<Live>(session, `/admin/halls/${hallId}/live`, 5000);
  const [ackError, setAckError] = useState<string>();
  // Locker alerts stay until a manager acknowledges them (audited by the central API).
  const acknowledge = (id: string) =>
    request(session, 'POST', `/lockers/alerts/${id}/acknowledge`, { hallId })
      .then(() => setAckError(undefined))
      .catch((e: unknown) => setAckError(e instanceof Error ? e.message : String(e)))
      .finally(live.reload);
  if (live.error) return <p className="error">{t('common.error', { message: live.error })}</p>;
  const d = live.data;
  if (!d) return <p>{t('common.loading')}</p>;
  return (
    <div className="live" data-testid="live">
      <p className="muted">{t('live.updated', { time: timeOf(d.at) })}</p>
      <section className="card alerts" data-testid="alerts">
        <h2>{t('live.alerts')}</h2>
        {d.alerts.length === 0 ? (
          <p className="muted">{t('live.noAlerts')}</p>
        ) : (
          <ul>
            {d.alerts.map((a, i) => (
              <li key={i} className={`alert alert-${a.kind}`}>
                {a.kind === 'locker'
                  ? t('live.alert.locker', { subject: a.subject, detail: t(`live.lockerKind.${a.detail}`), time: timeOf(a.at) })
                  : t(`live.alert.${a.kind}`, { subject: a.subject, detail: a.kind === 'device_offline' ? (Number.isNaN(Date.parse(a.detail)) ? t('live.device.never') : timeOf(a.detail)) : a.detail })}
                {a.kind === 'locker' && a.id && (
                  <button type="button" className="ack" data-testid={`ack-${a.id}`} onClick={() => void acknowledge(a.id!)}>
                    {t('live.acknowledge')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
        {ackError && <p className="error">{t('live.acknowledgeFailed', { message: ackError })}</p>}
      </section>
      {(d.outages?.length ?? 0) > 0 && <Outages outages={d.outages ?? []} hall={d.lastHallOutage ?? null} />}
      <section className="card">
        <h2>{t('live.counters')}</h2>
        <div className="counter-grid">
          {d.counters.map((c) => (
            <div key={c.id} className={`counter-tile state-${c.state.status}`} data-testid={`counter-${c.number}`}>
              <div className="counter-number">{c.number}</div>
              <div className="counter-name">{c.name}</div>
              <div className="counter-state">
                {t(`live.status.${c.state.status}`)}
                {c.state.status === 'paused' && c.state.reason ? `（${c.state.reason}）` : ''}
              </div>
              <div className="counter-clerk">
                {t('live.clerk')}: {c.clerk ?? '—'}
              </div>
            </div>
          ))}
        </div>
      </section>
      <div className="two-col">
        <section className="card">
          <h2>{t('live.queues')}</h2>
          <table data-testid="queues">
            <thead>
              <tr>
                <th>{t('live.queue')}</th>
                <th className="num">{t('live.waiting')}</th>
                <th className="num">{t('live.longestWait')}</th>
              </tr>
            </thead>
            <tbody>
              {d.queues.map((q) => (
                <tr key={q.id}>
                  <td>
                    {q.prefix} · {q.name}
                  </td>
                  <td className="num">{q.waiting}</td>
                  <td className="num">{q.longestWaitSeconds === null ? '—' : t('live.minutes', { m: Math.floor(q.longestWaitSeconds / 60) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="card">
          <h2>{t('live.devices')}</h2>
          <DeviceTable devices={d.devices} />
        </section>
      </div>
    </div>
  );
}

/** "Worked through the outage": the hall's latest outage, then each station's reported periods. */
function Outages({ outages, hall }: { outages: Outage[]; hall: Live['lastHallOutage'] }) {
  const { t } = useTranslation();
  return (
    <section className="card outages" data-testid="outages">
      <h2>{t('live.outage.heading')}</h2>
      {hall && (
        <p className="outage-hall" data-testid="hall-outage">
          {t('live.outage.hall', { ...spanOf(hall), stations: hall.stations, peers: hall.maxPeers, count: hall.localMutations })}
        </p>
      )}
      <ul>
        {outages.map((o) => (
          <li key={`${o.deviceId}-${o.from}`} data-testid={`outage-${o.deviceId}`} data-mode={o.mode}>
            <strong>{o.deviceName}</strong>{' '}
            {o.mode === 'mesh' ? t('live.outage.mesh', { ...spanOf(o), peers: o.maxPeers }) : t('live.outage.alone', spanOf(o))}
            {o.localMutations > 0 && t('live.outage.local', { count: o.localMutations })}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function DeviceTable(props: { devices: Live['devices']; actions?: (device: Live['devices'][number]) => React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <table data-testid="devices">
      <thead>
        <tr>
          <th>{t('live.device.name')}</th>
          <th>{t('live.device.role')}</th>
          <th>{t('live.device.status')}</th>
          <th>{t('live.device.lastSync')}</th>
          {props.actions && <th />}
        </tr>
      </thead>
      <tbody>
        {props.devices.map((dev) => (
          <tr key={dev.id}>
            <td>
              {dev.name} <span className="muted">{dev.id}</span>
            </td>
            <td>{dev.role}</td>
            <td>
              <span className={`pill pill-${dev.status}`}>{t(`live.device.${dev.status}`)}</span>
              {clockSkewed(dev.clockOffsetMs) && (
                // Tickets, day boundaries and deadline lights read this PC's clock: have it set.
                <span className="pill pill-offline" data-testid={`clock-skew-${dev.id}`} title={t('live.device.clockSkewHint')}>
                  {t(dev.clockOffsetMs > 0 ? 'live.device.clockSlow' : 'live.device.clockFast', { minutes: clockSkewMinutes(dev.clockOffsetMs) })}
                </span>
              )}
            </td>
            <td>{timeOf(dev.lastSyncAt) ?? t('live.device.never')}</td>
            {props.actions && <td>{props.actions(dev)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
