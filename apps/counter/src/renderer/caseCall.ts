import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LocalRejection } from '@hall/shared';

/** The station's answer, with a rejection told in the clerk's words (its code), not the station's English. */
export function useCaseCall() {
  const { t } = useTranslation();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const call = useCallback(
    async <T>(work: () => Promise<T>): Promise<T | undefined> => {
      setBusy(true);
      setError(undefined);
      try {
        return await work();
      } catch (e) {
        setError(e instanceof LocalRejection ? t(`conflicts.reasons.${e.code}`, { defaultValue: e.message }) : e instanceof Error ? e.message : String(e));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [t],
  );
  return { call, error, busy, setError };
}

