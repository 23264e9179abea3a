import type { TFunction } from 'i18next';
import type { CentralRejection } from '@hall/shared';

/** "中心未采纳受理：…" — a decision the central API rejected, named and explained, never a raw type or code. */
export function rejectionText(t: TFunction, r: Pick<CentralRejection, 'type' | 'code' | 'reason'>): string {
  return t('history.rejected', {
    type: t(`conflicts.types.${r.type}`, { defaultValue: r.type }),
    reason: t(`conflicts.reasons.${r.code}`, { defaultValue: r.reason || r.code }),
  });
}
