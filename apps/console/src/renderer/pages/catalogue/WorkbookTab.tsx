import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiFailure, download, request, type StaffSession } from '../../api';

interface RowError {
  sheet: string;
  row: number;
  message: string;
}

type Outcome = { ok: true; created: string[]; updated: string[]; unchanged: number } | { ok: false; message: string; rows: RowError[] };

async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The catalogue as an Excel workbook: exported whole, imported whole or not at all. */
export function WorkbookTab(props: { session: StaffSession; hallId: string; onImported: () => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File>();
  const [outcome, setOutcome] = useState<Outcome>();
  const [busy, setBusy] = useState(false);

  const upload = async () => {
    if (!file) return;
    setBusy(true);
    try {
      const result = await request<{ created: string[]; updated: string[]; unchanged: number }>(props.session, 'POST', `/catalogue/halls/${props.hallId}/import`, { fileBase64: await base64Of(file) });
      setOutcome({ ok: true, ...result });
      props.onImported();
    } catch (e) {
      const rows = e instanceof ApiFailure ? ((e.details as { rows?: RowError[] } | undefined)?.rows ?? []) : [];
      setOutcome({ ok: false, message: e instanceof Error ? e.message : String(e), rows });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" data-testid="catalogue-workbook">
      <h2>{t('catalogue.workbook.heading')}</h2>
      <p className="muted">{t('catalogue.workbook.exportHint')}</p>
      <button type="button" data-testid="export-catalogue" onClick={() => void download(props.session, `/catalogue/halls/${props.hallId}/export.xlsx`, `catalogue-${props.hallId}.xlsx`)}>
        {t('catalogue.workbook.export')}
      </button>
      <h3>{t('catalogue.workbook.import')}</h3>
      <p className="muted">{t('catalogue.workbook.importHint')}</p>
      <div className="row">
        <input
          type="file"
          aria-label={t('catalogue.workbook.choose')}
          data-testid="import-file"
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          onChange={(e) => {
            setFile(e.target.files?.[0]);
            setOutcome(undefined);
          }}
        />
        <button type="button" className="primary" data-testid="import-catalogue" disabled={!file || busy} onClick={() => void upload()}>
          {t('catalogue.workbook.import')}
        </button>
      </div>
      {outcome?.ok === true && (
        <p className="ok" role="status" data-testid="import-message">
          {t('catalogue.workbook.done', { created: outcome.created.length, updated: outcome.updated.length, unchanged: outcome.unchanged })}
        </p>
      )}
      {outcome?.ok === false && (
        <div role="alert" data-testid="import-errors">
          <p className="error">{outcome.rows.length > 0 ? t('catalogue.workbook.refused', { count: outcome.rows.length }) : t('common.error', { message: outcome.message })}</p>
          {outcome.rows.length > 0 && (
            <table>
              <thead>
                <tr>
                  <th>{t('catalogue.workbook.sheet')}</th>
                  <th>{t('catalogue.workbook.row')}</th>
                  <th>{t('catalogue.workbook.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {outcome.rows.map((r) => (
                  <tr key={`${r.sheet}-${r.row}`} data-testid={`import-error-${r.sheet}-${r.row}`}>
                    <td>{r.sheet}</td>
                    <td>{t('catalogue.workbook.rowLabel', { row: r.row })}</td>
                    <td>{r.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
