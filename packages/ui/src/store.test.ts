import { describe, expect, it } from 'vitest';
import { createWipeableStore } from './store';

describe('wipeable store', () => {
  it('wipes data back to a fresh initial state and keeps the actions', () => {
    type Data = { name: string | undefined; answers: string[] };
    type Acts = { identify(name: string): void; answer(a: string): void };
    const store = createWipeableStore<Data, Acts>(
      () => ({ name: undefined, answers: [] }),
      (set) => ({
        identify: (name) => set({ name }),
        answer: (a) => set((s) => ({ answers: [...s.answers, a] })),
      }),
    );
    store.getState().identify('张*三');
    store.getState().answer('q1');
    expect(store.getState()).toMatchObject({ name: '张*三', answers: ['q1'] });
    store.getState().wipe();
    expect(store.getState()).toMatchObject({ name: undefined, answers: [] });
    store.getState().answer('q2');
    expect(store.getState().answers).toEqual(['q2']);
  });
});
