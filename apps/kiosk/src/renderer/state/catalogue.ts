import { create } from 'zustand';
import type { Catalogue, KioskDevices } from '@hall/shared';

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
