import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const path = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

/**
 * The Electron build: main (ESM, out/main/index.js), the preload (CommonJS,
 * out/preload/index.cjs, no dependencies: the sandbox cannot load modules) and
 * the renderer (out/renderer, the same output `vite.config.ts` makes for browser
 * mode). The bridge is never imported by main, so it is not in the bundle.
 * Main bundles its packages too (only electron stays external), so the app
 * needs no node_modules and package.json has no production dependencies: the
 * CLI (scripts/build-cli.mjs) is a bundle as well.
 */
export default defineConfig({
  main: {
    build: {
      outDir: path('./out/main'),
      externalizeDeps: false,
      rollupOptions: {
        // plan-worker: the planner's worker thread (src-main/handlers/plan-runner.ts loads ./plan-worker.js next to index.js).
        input: { index: path('./src-main/electron/main.ts'), 'plan-worker': path('./src-main/handlers/plan-worker.ts') },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: path('./out/preload'),
      externalizeDeps: false,
      rollupOptions: {
        input: { index: path('./src-main/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: path('./src-renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: path('./out/renderer'),
      emptyOutDir: true,
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      rollupOptions: { input: { index: path('./src-renderer/index.html') } },
    },
  },
});
