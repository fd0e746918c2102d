import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Preact through the automatic JSX runtime: no plugin needed.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
});
