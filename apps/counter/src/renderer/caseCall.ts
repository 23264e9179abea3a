import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StationCallError } from '@hall/shared';

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
        const failure = e instanceof StationCallError ? e.error : undefined;
        setError(failure ? t(`conflicts.reasons.${failure.reason ?? ''}`, { defaultValue: failure.message }) : e instanceof Error ? e.message : String(e));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [t],
  );
  return { call, error, busy, setError };
}

