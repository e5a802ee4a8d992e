// The benchmark page: EngineClient and the real workers, no React. Built into .cache/bench-dist/
// by `vite build --config bench/vite.config.ts` (bench/run.ts does it when sources are newer).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: path.join(here, 'page'),
  base: './',
  logLevel: 'warn',
  worker: { format: 'es' },
  build: {
    outDir: path.join(here, '..', '.cache', 'bench-dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
});
