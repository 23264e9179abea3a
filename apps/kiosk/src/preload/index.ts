// Preload of the kiosk window (sandboxed, contextIsolation): exposes `window.stationIpc`
// — one request channel and the station's events — and nothing else. Packaging bundles
// it to CommonJS (build/bundle.ts); the renderer wraps it in a validating bridge
// (@hall/ui createIpcBridge) and the main process validates sender and payload again.
import { contextBridge, ipcRenderer } from 'electron';

const REQUEST_CHANNEL = 'station:request';
const EVENT_CHANNEL = 'station:event';

type Listener = (data: unknown) => void;
const listeners = new Map<string, Set<Listener>>();

ipcRenderer.on(EVENT_CHANNEL, (_event, message: unknown) => {
  if (typeof message !== 'object' || message === null) return;
  const { event, data } = message as { event?: unknown; data?: unknown };
  if (typeof event !== 'string') return;
  for (const listener of listeners.get(event) ?? []) listener(data);
});

contextBridge.exposeInMainWorld('stationIpc', {
  request(message: unknown): Promise<unknown> {
    return ipcRenderer.invoke(REQUEST_CHANNEL, message);
  },
  on(event: string, listener: Listener): () => void {
    if (typeof event !== 'string' || typeof listener !== 'function') throw new TypeError('on(event, listener)');
    const set = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, set);
    set.add(listener);
    return () => set.delete(listener);
  },
});
