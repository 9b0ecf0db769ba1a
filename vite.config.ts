import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

/**
 * The renderer as a plain web build, for browser mode (`npm run web`) and the
 * end-to-end tests: the same UI Electron loads (electron.vite.config.ts builds
 * it for the app). `base: './'` so the files work from any folder.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./src-renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./out/renderer', import.meta.url)),
    emptyOutDir: true,
    // No inline scripts or styles: the CSP allows only files from 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    // One bundle (React, React Flow, zod): loaded from disk, never over a network.
    chunkSizeWarningLimit: 1024,
  },
});
