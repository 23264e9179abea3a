import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SYNC_PATHS, type Counter } from '@hall/shared';
import { request } from '../api';
import type { PageProps } from '../App';
import { useGet } from '../useApi';
import { DeviceTable, timeOf } from './LivePage';

type Device = Parameters<typeof DeviceTable>[0]['devices'][number];
const ROLES = ['kiosk', 'counter', 'display', 'locker'] as const;

/** GET/POST /admin/halls/:hallId/lan-keys[/rotate]: key ids and dates only, never a key. */
interface LanKeyInfo {
  kid: string;
  createdAt: string;
  retiredAt: string | null;
  acceptedUntil: string | null;
}
interface LanKeyStatus {
  hallId: string;
  current: LanKeyInfo | null;
  previous: LanKeyInfo[];
  graceSeconds: number;
  stationsPoked?: number;
}

/**
 * The hall's LAN key (call feed, hall mesh): which key the stations seal with, which older
 * keys they still accept, and the rotation (a hall manager's audited action; the stations are
 * told at once and the old key stays accepted for the grace period).
 */
function LanKeyCard({ session, hallId }: Pick<PageProps, 'session' | 'hallId'>) {
  const { t } = useTranslation();
  const status = useGet<LanKeyStatus>(session, `/admin/halls/${hallId}/lan-keys`, 60_000);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [busy, setBusy] = useState(false);
  const canRotate = session.staff.roles.includes('hall_manager') || session.staff.roles.includes('city_admin');
  const rotate = async () => {
    const hours = Math.round((status.data?.graceSeconds ?? 86_400) / 3600);
    if (!window.confirm(t('devices.lanKey.confirmRotate', { hours }))) return;
    setBusy(true);
    try {
      const r = await request<LanKeyStatus>(session, 'POST', `/admin/halls/${hallId}/lan-keys/rotate`);
      setMessage({ ok: true, text: t('devices.lanKey.rotated', { kid: r.current?.kid ?? '', count: r.stationsPoked ?? 0 }) });
      status.reload();
    } catch (e) {
      setMessage({ ok: false, text: t('common.error', { message: e instanceof Error ? e.message : String(e) }) });
    } finally {
      setBusy(false);
    }
  };
  const data = status.data;
  return (
    <section className="card" data-testid="lan-key">
      <h3>{t('devices.lanKey.heading')}</h3>
      {data && (
        <>
          <p>
            {t('devices.lanKey.current')}:{' '}
            {data.current ? (
              <>
                <code data-testid="lan-key-current">{data.current.kid}</code> ({t('devices.lanKey.created', { at: timeOf(data.current.createdAt) })})
              </>
            ) : (
              t('devices.lanKey.none')
            )}
          </p>
          {data.previous.length > 0 && (
            <>
              <p>{t('devices.lanKey.previous')}</p>
              <ul>
                {data.previous.map((k) => (
                  <li key={k.kid}>{t('devices.lanKey.acceptedUntil', { kid: k.kid, until: timeOf(k.acceptedUntil) })}</li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      {status.error && <p className="error">{t('common.error', { message: status.error })}</p>}
      {canRotate && (
        <button type="button" className="danger" disabled={busy} onClick={() => void rotate()} data-testid="lan-key-rotate">
          {t('devices.lanKey.rotate')}
        </button>
      )}
      {message && (
        <p className={message.ok ? 'ok' : 'error'} data-testid="lan-key-result">
          {message.text}
        </p>
      )}
    </section>
  );
}

function BindCounter({ counters, onBind }: { counters: Counter[]; onBind: (counterId: string) => void }) {
  const { t } = useTranslation();
  const [counterId, setCounterId] = useState('');
  return (
    <span className="inline-form">
      <span className="error">{t('devices.unbound')}</span>{' '}
      <select data-testid="bind-counter" value={counterId} onChange={(e) => setCounterId(e.target.value)} aria-label={t('devices.counter')}>
        <option value="" />
        {counters.map((c) => (
          <option key={c.id} value={c.id}>
            {c.number}
          </option>
        ))}
      </select>{' '}
      <button type="button" className="link" disabled={counterId === ''} onClick={() => onBind(counterId)}>
        {t('devices.bind')}
      </button>{' '}
    </span>
  );
}

export function DevicesPage({ session, hallId, onConfigChanged }: PageProps) {
  const { t } = useTranslation();
  const devices = useGet<{ devices: Device[] }>(session, `/admin/halls/${hallId}/devices`, 15_000);
  const counters = useGet<{ counters: Counter[] }>(session, `/halls/${hallId}/counters`);
  const [form, setForm] = useState({ id: '', name: '', role: 'kiosk' as (typeof ROLES)[number], counterId: '' });
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const fail = (e: unknown) => setMessage({ ok: false, text: t('common.error', { message: e instanceof Error ? e.message : String(e) }) });
  const create = async (event: FormEvent) => {
    event.preventDefault();
    try {
      // A counter device serves one counter: the central API lets it act for that one only.
      const { counterId, ...device } = form;
      const body = { ...device, hallId, ...(form.role === 'counter' && counterId ? { counterId } : {}) };
      const r = await request<{ enrollmentCode: string; expiresAt?: string }>(session, 'POST', SYNC_PATHS.devices, body);
      setMessage({ ok: true, text: t('devices.code', { code: r.enrollmentCode, expires: r.expiresAt ? new Date(r.expiresAt).toLocaleString() : '—' }) });
      setForm({ ...form, id: '', name: '' });
      devices.reload();
      onConfigChanged();
    } catch (e) {
      fail(e);
    }
  };
  // A counter device made before devices were bound to counters: bind it once, or its calls are refused.
  const bind = async (id: string, counterId: string) => {
    try {
      await request(session, 'POST', `${SYNC_PATHS.devices}/${id}/counter`, { counterId });
      setMessage({ ok: true, text: t('devices.bound') });
      devices.reload();
    } catch (e) {
      fail(e);
    }
  };
  const revoke = async (id: string) => {
    if (!window.confirm(t('devices.confirmRevoke'))) return;
    try {
      await request(session, 'POST', `${SYNC_PATHS.devices}/${id}/revoke`);
      devices.reload();
      onConfigChanged();
    } catch (e) {
      fail(e);
    }
  };
  return (
    <div data-testid="devices-page">
      <h2>{t('devices.heading')}</h2>
      <form className="card toolbar" onSubmit={(e) => void create(e)}>
        <strong>{t('devices.enrol')}</strong>
        <label>
          {t('devices.id')} <input value={form.id} onChange={(e) => setForm({ ...form, id: e.target.value })} required pattern="[A-Za-z0-9._:-]+" />
        </label>
        <label>
          {t('devices.name')} <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required maxLength={64} />
        </label>
        <label>
          {t('devices.role')}{' '}
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as (typeof ROLES)[number] })}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        {form.role === 'counter' && (
          <label>
            {t('devices.counter')}{' '}
            <select data-testid="device-counter" value={form.counterId} onChange={(e) => setForm({ ...form, counterId: e.target.value })} required>
              <option value="" />
              {counters.data?.counters.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.number}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="submit" className="primary">
          {t('devices.create')}
        </button>
      </form>
      {message && <p className={message.ok ? 'ok code' : 'error'}>{message.text}</p>}
      <section className="card">
        {devices.data && (
          <DeviceTable
            devices={devices.data.devices}
            actions={(dev) =>
              dev.status === 'revoked' ? null : (
                <>
                  {dev.counterId === null && <BindCounter counters={counters.data?.counters ?? []} onBind={(counterId) => void bind(dev.id, counterId)} />}
                  <button type="button" className="link danger" onClick={() => void revoke(dev.id)}>
                    {t('devices.revoke')}
                  </button>
                </>
              )
            }
          />
        )}
      </section>
      <LanKeyCard session={session} hallId={hallId} />
    </div>
  );
}
