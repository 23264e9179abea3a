import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldChange, ServiceDiff } from '@hall/shared';
import { request, type StaffSession } from '../../api';
import { useGet } from '../../useApi';
import { fieldLabel } from './fields';

interface VersionEntry {
  version: number;
  savedAt: string;
  actor: { kind: string; id: string; name?: string };
}

const when = (iso: string) => new Date(iso).toLocaleString('zh-CN', { hour12: false });

/** Every saved version of a service, and the readable difference between two of them (版本差异). */
export function VersionHistory(props: { session: StaffSession; serviceId: string }) {
  const { t } = useTranslation();
  const versions = useGet<{ versions: VersionEntry[] }>(props.session, `/services/${props.serviceId}/versions`);
  const list = versions.data?.versions ?? [];
  const [ticked, setTicked] = useState<number[]>([]);
  const [diff, setDiff] = useState<{ from: number; to: number; diff: ServiceDiff }>();
  const [error, setError] = useState<string>();
  // The latest save against the one before it is what a manager most often wants to read.
  useEffect(() => setTicked(list.slice(0, 2).map((v) => v.version)), [versions.data]);

  const compare = async () => {
    const [a, b] = [...ticked].sort((x, y) => x - y);
    try {
      setDiff(await request(props.session, 'GET', `/services/${props.serviceId}/diff?from=${a}&to=${b}`));
      setError(undefined);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <section className="card" data-testid="version-history">
      <h2>{t('catalogue.history')}</h2>
      {list.length === 0 ? (
        <p className="muted">{t('catalogue.versions.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th />
              <th>{t('catalogue.versions.version')}</th>
              <th>{t('catalogue.versions.who')}</th>
              <th>{t('catalogue.versions.when')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((v) => (
              <tr key={v.version} data-testid={`version-${v.version}`}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${t('catalogue.versions.version')} ${v.version}`}
                    checked={ticked.includes(v.version)}
                    onChange={(e) => setTicked(e.target.checked ? [...ticked.slice(-1), v.version] : ticked.filter((x) => x !== v.version))}
                  />
                </td>
                <td>{v.version}</td>
                <td>{v.actor.kind === 'system' ? t('catalogue.versions.system') : (v.actor.name ?? v.actor.id)}</td>
                <td>{when(v.savedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.length > 1 && (
        <div className="row">
          <button type="button" data-testid="compare-versions" disabled={ticked.length !== 2} onClick={() => void compare()}>
            {t('catalogue.versions.compare')}
          </button>
          {ticked.length !== 2 && <span className="muted">{t('catalogue.versions.pickTwo')}</span>}
        </div>
      )}
      {error && <p className="error">{error}</p>}
      {diff && <DiffView {...diff} />}
    </section>
  );
}

function ChangeRows({ changes }: { changes: readonly FieldChange[] }) {
  const { t } = useTranslation();
  const shown = (field: string, value: string) =>
    value === '' ? <span className="muted">{t('catalogue.diff.empty')}</span> : value === 'true' ? t('catalogue.diff.yes') : value === 'false' ? t('catalogue.diff.no') : value;
  return (
    <>
      {changes.map((c) =>
        c.field === 'decisionTree' ? (
          <tr key={c.field} data-testid={`diff-${c.field}`}>
            <td colSpan={3}>{t('catalogue.diff.treeChanged')}</td>
          </tr>
        ) : (
          <tr key={c.field} data-testid={`diff-${c.field}`}>
            <td>{fieldLabel(t, c.field)}</td>
            <td className="cat-before">{shown(c.field, c.before)}</td>
            <td className="cat-after">{shown(c.field, c.after)}</td>
          </tr>
        ),
      )}
    </>
  );
}

export function DiffView({ from, to, diff }: { from: number; to: number; diff: ServiceDiff }) {
  const { t } = useTranslation();
  const empty = diff.fields.length === 0 && diff.materials.length === 0;
  return (
    <div className="cat-diff" data-testid="version-diff">
      <h3>{t('catalogue.diff.heading', { from, to })}</h3>
      {empty && <p className="muted">{t('catalogue.diff.none')}</p>}
      {diff.fields.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>{t('catalogue.diff.field')}</th>
              <th>{t('catalogue.diff.before')}</th>
              <th>{t('catalogue.diff.after')}</th>
            </tr>
          </thead>
          <tbody>
            <ChangeRows changes={diff.fields} />
          </tbody>
        </table>
      )}
      {diff.materials.length > 0 && (
        <>
          <h3>{t('catalogue.diff.materials')}</h3>
          <ul className="cat-material-changes">
            {diff.materials.map((m) => (
              <li key={`${m.kind}-${m.materialId}`} className={`cat-${m.kind}`} data-testid={`diff-material-${m.materialId}`}>
                <strong>{t(`catalogue.diff.${m.kind}`)}</strong> {m.name}
                {m.kind === 'changed' && (
                  <table>
                    <tbody>
                      <ChangeRows changes={m.changes} />
                    </tbody>
                  </table>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
