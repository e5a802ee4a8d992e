// The fixtures every spec uses (`import { test, expect } from './test'`): the served app and its
// page objects, our own image archives written once per worker, and the skips for absent peer
// fixtures. The server itself is started by playwright.config.ts (webServer).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type ConsoleMessage } from '@playwright/test';
import { DIVE_DIR } from '../test/shared-fixtures';
import { writeOwnImages, writeSlowImage, type OwnImages } from './images';
import { Contents } from './pages/contents';
import { LayerGraph } from './pages/layer-graph';
import { SizePage } from './pages/size-page';
import { StrataPage } from './pages/strata-page';
import { Tree } from './pages/tree';

export { expect };

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const diveDir = DIVE_DIR;

interface PageFixtures {
  app: StrataPage; layers: LayerGraph; tree: Tree; size: SizePage; contents: Contents;
  /** The Content-Security-Policy violations the page and its workers reported on the console. */
  cspViolations: string[];
  /** Set by the spec that provokes violations on purpose; every other test fails on one. */
  expectCspViolations: boolean;
}
interface WorkerFixtures { scratchDir: string; ownImages: OwnImages; slowImage: string }

export const test = base.extend<PageFixtures, WorkerFixtures>({
  expectCspViolations: [false, { option: true }],
  cspViolations: async ({ page }, use) => {
    const seen: string[] = [];
    // Chromium reports each violation as a console error naming the directive.
    const onConsole = (m: ConsoleMessage) => { if (m.text().includes('Content Security Policy')) seen.push(m.text()); };
    page.on('console', onConsole);
    page.on('worker', (w) => w.on('console', onConsole));
    await use(seen);
  },
  app: async ({ page, baseURL, cspViolations, expectCspViolations }, use, testInfo) => {
    if (!baseURL) throw new Error('no baseURL: run the UI tests with `npm run e2e` (playwright test starts the server)');
    // What the page said, attached to a failing test beside its trace and screenshot.
    const log: string[] = [];
    page.on('console', (m) => log.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => log.push(`[pageerror] ${e.stack ?? e.message}`));
    await use(new StrataPage(page));
    if (testInfo.status !== testInfo.expectedStatus && log.length > 0) await testInfo.attach('console.log', { body: log.join('\n') + '\n', contentType: 'text/plain' });
    // Everything the app did in this test, it did within the policy.
    if (testInfo.status === 'passed' && !expectCspViolations) expect(cspViolations, 'Content-Security-Policy violations').toEqual([]);
  },
  layers: async ({ page }, use) => use(new LayerGraph(page)),
  tree: async ({ page }, use) => use(new Tree(page)),
  size: async ({ page }, use) => use(new SizePage(page)),
  contents: async ({ page }, use) => use(new Contents(page)),

  scratchDir: [async ({}, use) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'strata-e2e-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  }, { scope: 'worker' }],
  ownImages: [async ({ scratchDir }, use) => use(await writeOwnImages(scratchDir)), { scope: 'worker' }],
  slowImage: [async ({ scratchDir }, use) => use(await writeSlowImage(scratchDir)), { scope: 'worker' }],
});

/** The path of one of dive's test images (../shared/fixtures/dive); skips the test when absent. */
export function diveImage(name: string): string {
  const file = path.join(diveDir, name);
  test.skip(!existsSync(file), `needs ${file} (dive's test images); not present`);
  return file;
}

/** The demo image `npm run build` writes; skips the test when absent. */
export function demoImage(name = 'strata-ml-v1.tar'): string {
  const file = path.join(repoRoot, 'public', 'demo', name);
  test.skip(!existsSync(file), `needs ${file} (npm run build writes it); not present`);
  return file;
}

/** Saves a screenshot for people to look at: test-results/screens/<name>-<scheme>.png. */
export async function saveScreen(app: StrataPage, name: string): Promise<void> {
  const info = test.info();
  const scheme = info.project.use.colorScheme ?? 'light';
  const file = path.join(repoRoot, 'test-results', 'screens', `${name}-${scheme}.png`);
  await app.page.screenshot({ path: file });
  await info.attach(`${name}-${scheme}`, { path: file, contentType: 'image/png' });
}
