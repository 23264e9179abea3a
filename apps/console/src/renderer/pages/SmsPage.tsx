import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../api';
import type { PageProps } from '../App';
import { FeedbackLine, useFeedback } from '../Feedback';
import { useGet } from '../useApi';

interface SmsTemplateView {
  template: string;
  params: string[];
  secret: string[];
  builtIn: string;
  custom: string | null;
  updatedAt: string | null;
}

interface Preview {
  text: string;
  problems: string[];
  length: number;
}

/** Carriers bill 70 characters for one message and 67 per part of a longer one. */
const parts = (length: number) => (length <= 70 ? 1 : Math.ceil(length / 67));

/** The SMS the hall sends per event, with placeholders and a preview on made-up, masked data. */
export function SmsPage({ session, hallId, onConfigChanged }: PageProps) {
  const { t } = useTranslation();
  const templates = useGet<{ templates: SmsTemplateView[] }>(session, `/admin/halls/${hallId}/sms-templates`);
  return (
    <div data-testid="sms-page">
      <h2>{t('sms.heading')}</h2>
      {(templates.data?.templates ?? []).map((tpl) => (
        <TemplateCard
          key={tpl.template}
          view={tpl}
          onSave={async (body) => {
            await request(session, 'PUT', `/admin/halls/${hallId}/sms-templates/${tpl.template}`, { body });
            templates.reload();
            onConfigChanged();
          }}
          preview={(body) => request<Preview>(session, 'POST', `/admin/halls/${hallId}/sms-templates/${tpl.template}/preview`, { body })}
        />
      ))}
    </div>
  );
}

function TemplateCard(props: { view: SmsTemplateView; onSave: (body: string | null) => Promise<void>; preview: (body: string) => Promise<Preview> }) {
  const { t } = useTranslation();
  const { view } = props;
  const [body, setBody] = useState(view.custom ?? view.builtIn);
  const [preview, setPreview] = useState<Preview>();
  const { feedback, run } = useFeedback();
  // The latest preview function without making each render a new effect.
  const fetchPreview = useRef(props.preview);
  fetchPreview.current = props.preview;
  useEffect(() => {
    let live = true;
    // A short pause so typing does not send a request per key.
    const timer = setTimeout(() => {
      fetchPreview.current(body)
        .then((p) => live && setPreview(p))
        .catch(() => undefined);
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [body]);
  return (
    <section className="card sms-card" data-testid={`sms-${view.template}`}>
      <div className="card-head">
        <h3>{t(`sms.names.${view.template}`)}</h3>
        <span className="badge">{view.custom === null ? t('sms.builtIn') : t('sms.custom')}</span>
      </div>
      <div className="sms-grid">
        <div>
          <label className="stack">
            {t('sms.text')}
            <textarea rows={4} value={body} maxLength={500} onChange={(e) => setBody(e.target.value)} data-testid={`sms-text-${view.template}`} />
          </label>
          <div className="placeholders">
            <span className="muted">{t('sms.placeholders')}:</span>
            {view.params.map((p) => (
              <button key={p} type="button" className="chip" onClick={() => setBody(`${body}{${p}}`)} title={t(`sms.params.${p}`)}>
                {`{${p}}`} {t(`sms.params.${p}`)}
              </button>
            ))}
          </div>
        </div>
        <div className="sms-preview" data-testid={`sms-preview-${view.template}`}>
          <div className="muted small">{t('sms.preview')}</div>
          <div className="bubble">{preview?.text ?? ''}</div>
          {preview && <div className="muted small">{t('sms.length', { count: preview.length, parts: parts(preview.length) })}</div>}
          {preview && preview.problems.length > 0 && (
            <ul className="error small" data-testid={`sms-problems-${view.template}`}>
              {preview.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
        </div>
      </div>
      <div className="toolbar">
        <button type="button" className="primary" data-testid={`sms-save-${view.template}`} disabled={(preview?.problems.length ?? 0) > 0} onClick={() => void run(() => props.onSave(body), t('sms.saved'))}>
          {t('sms.save')}
        </button>
        {view.custom !== null && (
          <button type="button" data-testid={`sms-reset-${view.template}`} onClick={() => void run(() => props.onSave(null), t('sms.saved')).then((ok) => ok && setBody(view.builtIn))}>
            {t('sms.reset')}
          </button>
        )}
        <FeedbackLine feedback={feedback} testId={`sms-message-${view.template}`} />
      </div>
    </section>
  );
}
