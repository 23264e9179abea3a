import react from '@vitejs/plugin-react';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

/** Builds the counter renderer (clerk screen and /rating) into out/renderer for the station host and Electron. */
export default defineConfig({
  root: resolve(here, 'src/renderer'),
  base: './',
  plugins: [react()],
  build: { outDir: resolve(here, 'out/renderer'), emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 2000 },
});
