import react from '@vitejs/plugin-react';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

/** Builds the management console into out/, served by the central API at /console/. */
export default defineConfig({
  root: resolve(here, 'src/renderer'),
  base: '/console/',
  plugins: [react()],
  build: { outDir: resolve(here, 'out'), emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 2000 },
});
