import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiFailure, request, type StaffSession } from '../api';
import { mayUseConsole } from '../roles';

export function LoginPage(props: { onLogin: (session: StaffSession) => void }) {
  const { t, i18n } = useTranslation();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const session = await request<StaffSession>(null, 'POST', '/auth/login', { login, password });
      if (!mayUseConsole(session.staff.roles)) setError(t('login.noAccess'));
      else props.onLogin(session);
    } catch (e) {
      setError(t('login.failed', { message: e instanceof ApiFailure ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  };
  const en = i18n.language.startsWith('en');
  return (
    <div className="login">
      <form onSubmit={(e) => void submit(e)} className="card login-card">
        <h1>{t('title')}</h1>
        <h2>{t('login.heading')}</h2>
        <label>
          {t('login.login')}
          <input name="login" autoComplete="username" value={login} onChange={(e) => setLogin(e.target.value)} required />
        </label>
        <label>
          {t('login.password')}
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {t('login.submit')}
        </button>
        <button type="button" className="link" onClick={() => void i18n.changeLanguage(en ? 'zh-CN' : 'en')}>
          {en ? '中文' : 'English'}
        </button>
      </form>
    </div>
  );
}
