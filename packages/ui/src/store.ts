import { create, type StoreApi, type UseBoundStore } from 'zustand';

export type Wipeable<D, A> = D & A & { wipe(): void };
export type WipeableStore<D, A> = UseBoundStore<StoreApi<Wipeable<D, A>>>;
type Setter<D, A> = (partial: Partial<D> | ((state: Wipeable<D, A>) => Partial<D>)) => void;

/**
 * The pattern for renderer state: one zustand store per concern, made of plain data
 * (`initial`) and actions, with `wipe()` restoring the initial data. Stores holding a
 * citizen's data are wiped by the idle timeout and at the end of every journey, so
 * nothing personal outlives the person standing at the kiosk. Name both type parameters
 * explicitly, as with zustand's own `create<T>()`.
 */
export function createWipeableStore<D extends object, A extends object>(
  initial: () => D,
  actions: (set: Setter<D, A>, get: () => Wipeable<D, A>) => A,
): WipeableStore<D, A> {
  return create<Wipeable<D, A>>()((set, get) => ({
    ...initial(),
    ...actions(set as Setter<D, A>, get),
    wipe: () => set(initial() as Partial<Wipeable<D, A>>),
  }));
}
