import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiFailure, download, request, type StaffSession } from '../../api';
import { FeedbackLine, useFeedback } from '../../Feedback';

interface RowError {
  row: number;
  column: string;
  message: string;
}

async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** 人员账号 Excel: export the hall's accounts, import a sheet (all or nothing, every row's errors listed). */
export function StaffExcelSection(props: { session: StaffSession; hallId: string; onImported: () => void }) {
  const { t } = useTranslation();
  const { feedback, run } = useFeedback();
  const [errors, setErrors] = useState<RowError[]>([]);
  const input = useRef<HTMLInputElement>(null);
  const upload = async (file: File) => {
    setErrors([]);
    const ok = await run(
      async () => {
        try {
          return await request<{ created: number; updated: number }>(props.session, 'POST', `/admin/halls/${props.hallId}/staff/import`, { file: await base64Of(file) });
        } catch (e) {
          if (e instanceof ApiFailure) setErrors((e.details as { errors?: RowError[] } | undefined)?.errors ?? []);
          throw e;
        }
      },
      (r) => t('staffExcel.imported', r),
    );
    if (ok) props.onImported();
    if (input.current) input.current.value = '';
  };
  return (
    <section className="card" data-testid="staff-excel">
      <h3>{t('staffExcel.heading')}</h3>
      <p className="muted">{t('staffExcel.hint')}</p>
      <div className="toolbar">
        <button type="button" onClick={() => void run(() => download(props.session, `/admin/halls/${props.hallId}/staff/export.xlsx`, 'staff.xlsx'), t('stats.exported'))} data-testid="staff-export">
          {t('staffExcel.export')}
        </button>
        <label>
          {t('staffExcel.import')}{' '}
          <input ref={input} type="file" accept=".xlsx" onChange={(e) => e.target.files?.[0] && void upload(e.target.files[0])} data-testid="staff-import" />
        </label>
      </div>
      <FeedbackLine feedback={feedback} testId="staff-excel-feedback" />
      {errors.length > 0 && (
        <ul className="error" data-testid="staff-import-errors">
          {errors.map((e, i) => (
            <li key={i}>{t('staffExcel.rowError', { ...e })}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
