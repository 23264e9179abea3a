// Preload of the display window. Sandboxed preloads cannot be ES modules: packaging
// bundles this file to preload.cjs beside it (electron-builder step, see electron-builder.yml).
// Exposes `window.station` and nothing else; the main process validates every request.
import { contextBridge, ipcRenderer } from 'electron';

type Listener = (data: unknown) => void;
const listeners = new Map<string, Set<Listener>>();
let nextId = 1;

ipcRenderer.on('station:event', (_event, message: { event: string; data: unknown }) => {
  for (const listener of listeners.get(message.event) ?? []) listener(message.data);
});

contextBridge.exposeInMainWorld('station', {
  async call(method: string, params: unknown): Promise<unknown> {
    const response = (await ipcRenderer.invoke('station:request', { type: 'request', id: nextId++, method, params })) as
      | { ok: true; result: unknown }
      | { ok: false; error: { code: string; message: string } }
      | undefined;
    if (!response) throw new Error(`${method}: no answer from the station`);
    if (!response.ok) throw Object.assign(new Error(response.error.message), { error: response.error });
    return response.result;
  },
  on(event: string, listener: Listener): () => void {
    const set = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, set);
    set.add(listener);
    return () => set.delete(listener);
  },
});
