import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request, type StaffSession } from '../../api';
import type { Clerk } from './types';

/** The mobiles results and answers go to; the page only ever says whether one is set. */
export function ContactsSection(props: { session: StaffSession; base: string; clerks: Clerk[]; onChanged: () => void }) {
  const { t } = useTranslation();
  const [phones, setPhones] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const save = async (clerk: Clerk) => {
    try {
      await request(props.session, 'PUT', `${props.base}/contacts/${clerk.id}`, { phone: phones[clerk.id]?.trim() || null });
      setPhones({ ...phones, [clerk.id]: '' });
      setMessage({ ok: true, text: t('performance.contacts.saved') });
      props.onChanged();
    } catch (e) {
      setMessage({ ok: false, text: t('common.error', { message: e instanceof Error ? e.message : String(e) }) });
    }
  };
  return (
    <section className="card" data-testid="contacts-section">
      <h3>{t('performance.contacts.heading')}</h3>
      <p className="muted">{t('performance.contacts.hint')}</p>
      <table className="table">
        <tbody>
          {props.clerks.map((c) => (
            <tr key={c.id}>
              <td className="mono">{c.staffNumber}</td>
              <td>{c.name}</td>
              <td>{c.hasPhone ? t('performance.contacts.has') : <span className="muted">{t('performance.contacts.missing')}</span>}</td>
              <td>
                <input inputMode="numeric" maxLength={11} placeholder={t('performance.contacts.phone')} value={phones[c.id] ?? ''} onChange={(e) => setPhones({ ...phones, [c.id]: e.target.value })} data-testid={`contact-${c.staffNumber}`} />{' '}
                <button type="button" onClick={() => void save(c)} data-testid={`contact-save-${c.staffNumber}`}>
                  {t('performance.contacts.save')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {message && <p className={message.ok ? 'ok' : 'error'}>{message.text}</p>}
    </section>
  );
}
