import { create } from 'zustand';
import type { Catalogue, KioskDevices, PriorityGroup } from '@hall/shared';

/** Hall data the screens read: not personal, so it survives session wipes. */
export const useHall = create<{
  catalogue: Catalogue | null;
  devices: KioskDevices | undefined;
  setCatalogue(catalogue: Catalogue | null): void;
  setDevices(devices: KioskDevices): void;
}>()((set) => ({
  catalogue: null,
  devices: undefined,
  setCatalogue: (catalogue) => set({ catalogue }),
  setDevices: (devices) => set({ devices }),
}));

const NO_GROUPS: readonly PriorityGroup[] = [];

/**
 * The hall's priority groups, one stable empty list until the catalogue arrives: a selector
 * that returned a fresh `[]` on every call made zustand re-render without end (React error
 * #185) when a screen opened before the catalogue had loaded.
 */
export function usePriorityGroups(): readonly PriorityGroup[] {
  return useHall((s) => s.catalogue?.callingRules.priorityGroups ?? NO_GROUPS);
}
