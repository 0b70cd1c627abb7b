/**
 * Builds the renderer alone with plain Vite (`npm run build:web`), for the web host where
 * Electron's toolchain is not needed. Same root, base and output as the renderer section of
 * `electron.vite.config.ts`, so both builds produce the same `out/renderer`.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(here, '../out/renderer'),
    emptyOutDir: true,
    rollupOptions: { input: resolve(here, 'index.html') },
  },
});
