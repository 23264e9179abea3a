import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SYNC_PATHS } from '@hall/shared';
import { request } from '../api';
import type { PageProps } from '../App';
import { useGet } from '../useApi';
import { DeviceTable } from './LivePage';

type Device = Parameters<typeof DeviceTable>[0]['devices'][number];
const ROLES = ['kiosk', 'counter', 'display', 'locker'] as const;

export function DevicesPage({ session, hallId, onConfigChanged }: PageProps) {
  const { t } = useTranslation();
  const devices = useGet<{ devices: Device[] }>(session, `/admin/halls/${hallId}/devices`, 15_000);
  const [form, setForm] = useState({ id: '', name: '', role: 'kiosk' as (typeof ROLES)[number] });
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const fail = (e: unknown) => setMessage({ ok: false, text: t('common.error', { message: e instanceof Error ? e.message : String(e) }) });
  const create = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const r = await request<{ enrollmentCode: string }>(session, 'POST', SYNC_PATHS.devices, { ...form, hallId });
      setMessage({ ok: true, text: t('devices.code', { code: r.enrollmentCode }) });
      setForm({ ...form, id: '', name: '' });
      devices.reload();
      onConfigChanged();
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
        <button type="submit" className="primary">
          {t('devices.create')}
        </button>
      </form>
      {message && <p className={message.ok ? 'ok code' : 'error'}>{message.text}</p>}
      <section className="card">
        {devices.data && (
          <DeviceTable
            devices={devices.data.devices}
            actions={(id, status) =>
              status === 'revoked' ? null : (
                <button type="button" className="link danger" onClick={() => void revoke(id)}>
                  {t('devices.revoke')}
                </button>
              )
            }
          />
        )}
      </section>
    </div>
  );
}
