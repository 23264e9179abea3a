import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Service, SlipKind, SlipTemplate } from '@hall/shared';
import { ApiFailure, request } from '../../api';
import type { PageProps } from '../../App';
import { FeedbackLine, useFeedback } from '../../Feedback';
import { useGet } from '../../useApi';

const KINDS: readonly SlipKind[] = ['acceptance_receipt', 'one_time_notice', 'confirmation_slip'];

interface TemplatesView {
  templates: (SlipTemplate & { updatedAt: string })[];
  defaults: Record<SlipKind, string>;
  placeholders: Record<SlipKind, string[]>;
}

type Preview = { svg: string; lines: string[] } | { problem: string };

/** The wording a slip prints with now, and where it comes from (the counter's own rule, slipTemplateFor). */
function effective(view: TemplatesView, kind: SlipKind, serviceId: string | null): { body: string; source: 'own' | 'hall' | 'builtIn' } {
  const own = view.templates.find((t) => t.kind === kind && t.serviceId === serviceId);
  if (own) return { body: own.body, source: 'own' };
  const hall = view.templates.find((t) => t.kind === kind && t.serviceId === null);
  if (hall) return { body: hall.body, source: 'hall' };
  return { body: view.defaults[kind], source: 'builtIn' };
}

/**
 * 印制单据 (回执个性化定制): per-service wording of the counter's slips. The preview is the
 * server's rendering through the printer layout itself, shown as the SVG the counter's
 * history shows for a printed slip.
 */
export function SlipsPage({ session, hallId, onConfigChanged }: PageProps) {
  const { t } = useTranslation();
  const view = useGet<TemplatesView>(session, `/admin/halls/${hallId}/slip-templates`);
  const services = useGet<{ services: Service[] }>(session, `/services?hallId=${hallId}`);
  const [kind, setKind] = useState<SlipKind>('acceptance_receipt');
  const [serviceId, setServiceId] = useState<string | null>(null);
  const current = view.data ? effective(view.data, kind, serviceId) : undefined;
  // Kept here: a save reloads the templates and remounts the editor, the message must stay.
  const { feedback, run } = useFeedback();
  return (
    <div data-testid="slips-page">
      <h2>{t('slips.heading')}</h2>
      <p className="muted">{t('slips.hint')}</p>
      <div className="toolbar">
        <label>
          {t('slips.kind')}{' '}
          <select value={kind} onChange={(e) => setKind(e.target.value as SlipKind)} data-testid="slip-kind">
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`slips.kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('slips.service')}{' '}
          <select value={serviceId ?? ''} onChange={(e) => setServiceId(e.target.value || null)} data-testid="slip-service">
            <option value="">{t('slips.hallDefault')}</option>
            {(services.data?.services ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name.zh}
              </option>
            ))}
          </select>
        </label>
        {current && <span className="badge" data-testid="slip-source">{t(`slips.source.${current.source}`)}</span>}
      </div>
      {view.data && current && (
        <SlipEditor
          // A new editor per slip and service: the text starts from what prints there now.
          key={`${kind}|${serviceId ?? ''}|${current.body}`}
          kind={kind}
          serviceId={serviceId}
          initial={current.body}
          own={current.source === 'own'}
          placeholders={view.data.placeholders[kind]}
          run={run}
          preview={(body) => request<{ svg: string; lines: string[] }>(session, 'POST', `/admin/halls/${hallId}/slip-templates/preview`, { kind, serviceId, body })}
          onSave={async (body) => {
            await request(session, 'PUT', `/admin/halls/${hallId}/slip-templates`, { kind, serviceId, body });
            view.reload();
            onConfigChanged();
          }}
          onDelete={async () => {
            await request(session, 'DELETE', `/admin/halls/${hallId}/slip-templates?kind=${kind}${serviceId ? `&serviceId=${encodeURIComponent(serviceId)}` : ''}`);
            view.reload();
            onConfigChanged();
          }}
        />
      )}
      <FeedbackLine feedback={feedback} testId="slip-message" />
    </div>
  );
}

function SlipEditor(props: {
  kind: SlipKind;
  serviceId: string | null;
  initial: string;
  own: boolean;
  placeholders: string[];
  run: ReturnType<typeof useFeedback>['run'];
  preview: (body: string) => Promise<{ svg: string; lines: string[] }>;
  onSave: (body: string) => Promise<void>;
  onDelete: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const [body, setBody] = useState(props.initial);
  const [preview, setPreview] = useState<Preview>();
  const { run } = props;
  const area = useRef<HTMLTextAreaElement>(null);
  const fetchPreview = useRef(props.preview);
  fetchPreview.current = props.preview;
  useEffect(() => {
    let live = true;
    // A short pause so typing does not send a request per key.
    const timer = setTimeout(() => {
      fetchPreview
        .current(body)
        .then((p) => live && setPreview(p))
        .catch((e: unknown) => live && setPreview({ problem: e instanceof ApiFailure || e instanceof Error ? e.message : String(e) }));
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [body]);
  // Inserts at the caret, where the manager is writing.
  const insert = (name: string) => {
    const at = area.current?.selectionStart ?? body.length;
    setBody(`${body.slice(0, at)}{{${name}}}${body.slice(at)}`);
  };
  const problem = preview && 'problem' in preview ? preview.problem : undefined;
  return (
    <section className="card slip-editor">
      <div className="slip-grid">
        <div>
          <label className="stack">
            {t('slips.text')}
            <textarea ref={area} rows={18} value={body} maxLength={4000} onChange={(e) => setBody(e.target.value)} data-testid="slip-text" spellCheck={false} />
          </label>
          <p className="muted small">{t('slips.marks')}</p>
          <div className="placeholders">
            <span className="muted">{t('slips.placeholders')}:</span>
            {props.placeholders.map((p) => (
              <button key={p} type="button" className="chip" onClick={() => insert(p)} data-testid={`slip-insert-${p}`}>
                {`{{${p}}}`}
              </button>
            ))}
          </div>
          {problem && (
            <div className="error small" role="alert" data-testid="slip-problems">
              {t('slips.problems')} {problem}
            </div>
          )}
          <div className="toolbar">
            <button type="button" className="primary" data-testid="slip-save" disabled={problem !== undefined} onClick={() => void run(() => props.onSave(body), t('slips.saved'))}>
              {t('slips.save')}
            </button>
            {props.own && (
              <button type="button" data-testid="slip-delete" onClick={() => void run(() => props.onDelete(), t('slips.removed'))}>
                {t('slips.reset')}
              </button>
            )}
          </div>
        </div>
        <div className="slip-preview">
          <div className="muted small">{t('slips.preview')}</div>
          {preview && 'svg' in preview && (
            <img
              data-testid="slip-preview"
              data-lines={JSON.stringify(preview.lines)}
              alt={preview.lines.join('\n')}
              src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(preview.svg)}`}
            />
          )}
        </div>
      </div>
    </section>
  );
}
