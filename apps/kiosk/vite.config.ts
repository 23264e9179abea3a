import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The kiosk renderer: a static bundle served by the station (browser mode) or loaded by Electron. */
export default defineConfig({
  root: here('./src/renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: here('./out/renderer'),
    emptyOutDir: true,
    // Kiosks run a current Chromium (Electron or Debian's): no legacy output.
    target: 'chrome120',
    chunkSizeWarningLimit: 1500,
    // Fonts and images stay files: the CSP allows no data: fonts.
    assetsInlineLimit: 0,
  },
});
