// `npm run e2e [-- name-filter]`: serves dist/ on a free port, drives Debian's Chromium with
// playwright-core through every exported test of e2e/*.spec.ts, and exits non-zero on failure.
// On failure a screenshot and the page's console log go to test-results/.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { createAppServer, listen } from '../src/server/app-server';
import { repoRoot, Skip } from './harness';
import { StrataPage } from './pages/strata-page';

type Test = (app: StrataPage) => Promise<void>;

const TEST_TIMEOUT_MS = 60_000;
const resultsDir = path.join(repoRoot, 'test-results');

async function main(): Promise<number> {
  const filter = process.argv[2];
  const dist = path.join(repoRoot, 'dist');
  if (!existsSync(path.join(dist, 'index.html'))) {
    console.error('No build in dist/: run `npm run build` (or `npx vite build`) first.');
    return 2;
  }
  const server = createAppServer({ root: dist });
  const port = await listen(server, 0);
  const baseUrl = `http://127.0.0.1:${port}/`;
  let browser: Browser | undefined;
  let failed = 0;
  let passed = 0;
  let skipped = 0;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--no-first-run', '--disable-quic', '--disable-sync'],
    });
    const specDir = path.join(repoRoot, 'e2e');
    const specs = readdirSync(specDir).filter((f) => f.endsWith('.spec.ts')).sort();
    for (const spec of specs) {
      const mod = (await import(pathToFileURL(path.join(specDir, spec)).href)) as Record<string, unknown>;
      for (const [name, fn] of Object.entries(mod)) {
        if (typeof fn !== 'function') continue;
        const id = `${spec.replace(/\.spec\.ts$/, '')} › ${name}`;
        if (filter && !id.toLowerCase().includes(filter.toLowerCase())) continue;
        const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, reducedMotion: 'reduce', colorScheme: 'light', acceptDownloads: true });
        const page = await context.newPage();
        const log: string[] = [];
        page.on('console', (m) => log.push(`[${m.type()}] ${m.text()}`));
        page.on('pageerror', (e) => log.push(`[pageerror] ${e.stack ?? e.message}`));
        const app = new StrataPage(page, baseUrl);
        const started = Date.now();
        try {
          await Promise.race([
            (fn as Test)(app),
            new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${TEST_TIMEOUT_MS} ms`)), TEST_TIMEOUT_MS)),
          ]);
          passed++;
          console.log(`  \x1b[32m✓\x1b[0m ${id} \x1b[2m(${Date.now() - started} ms)\x1b[0m`);
        } catch (e) {
          if (e instanceof Skip) {
            skipped++;
            console.log(`  \x1b[33m-\x1b[0m ${id} \x1b[33mskipped: ${e.message}\x1b[0m`);
          } else {
            failed++;
            console.log(`  \x1b[31m✗ ${id}\x1b[0m\n    ${e instanceof Error ? (e.stack ?? e.message).split('\n').slice(0, 4).join('\n    ') : String(e)}`);
            mkdirSync(resultsDir, { recursive: true });
            const base = path.join(resultsDir, id.replace(/[^\w.-]+/g, '_'));
            await page.screenshot({ path: `${base}.png`, fullPage: true }).catch(() => undefined);
            writeFileSync(`${base}.console.log`, log.join('\n') + '\n');
            console.log(`    screenshot and console log: ${path.relative(repoRoot, base)}.{png,console.log}`);
          }
        } finally {
          await context.close();
        }
      }
    }
  } finally {
    await browser?.close();
    server.close();
  }
  console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
  return failed > 0 || passed === 0 ? 1 : 0;
}

main().then((code) => process.exit(code), (e: unknown) => {
  console.error(e);
  process.exit(1);
});
