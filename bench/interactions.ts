// Interactive steps in the built app (not the bench page): open the archive through the real file
// input, then time user steps in the page itself: from the synthetic event to the first animation
// frame in which the DOM shows the result. 20 repetitions each; p95 reported.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { ourPageProcess, threadTicks, ticksToMs } from './thread-cpu';

export interface StepResult {
  step: string;
  p95Ms: number | null;
  medianMs?: number;
  /** The first repetition (cold: what the engine answers once and then remembers, it computes here). */
  firstMs?: number;
  /** CPU per repetition (the dispatch to the shown result), mean of the 20: page main thread, and its workers (the engine). */
  mainCpuMs?: number;
  workerCpuMs?: number;
  note?: string;
}

const REPS = 20;

/** Runs in the page: dispatch, then poll once per frame until `done`, then one more frame. */
async function timeInPage(page: Page, act: { click?: string; fill?: { selector: string; value: string } }, done: string, maxRows?: number, changes?: string): Promise<number> {
  return page.evaluate(async ({ act, done, maxRows, changes }) => {
    const before = changes ? document.querySelector(changes)?.textContent : undefined;
    const ok = () => {
      const hit = document.querySelector(done);
      if (!hit) return false;
      if (changes && document.querySelector(changes)?.textContent === before) return false;
      return maxRows === undefined || document.querySelectorAll('[data-testid="tree.row"]').length <= maxRows;
    };
    const t0 = performance.now();
    if (act.click) {
      const el = document.querySelector(act.click);
      if (!el) throw new Error(`no ${act.click}`);
      el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, view: window }));
    } else if (act.fill) {
      const el = document.querySelector(act.fill.selector) as HTMLInputElement;
      // React listens for 'input' and reads the value through the prototype's setter.
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(el, act.fill.value);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (ok()) resolve();
        else if (performance.now() - t0 > 10_000) reject(new Error(`timed out waiting for ${done}`));
        else requestAnimationFrame(check);
      };
      check();
    });
    await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t0;
  }, { act, done, maxRows, changes });
}

function p95(xs: number[]): { p95: number; median: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { p95: s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)]!, median: s[Math.floor(s.length / 2)]! };
}

/** Per step: the page's process (for thread CPU), and a CPU profile of the main thread when asked for. */
interface StepProbe { pid: number | undefined; cdp: CDPSession | undefined; profileDir: string | undefined }

async function repeat(step: string, once: () => Promise<number>, reset: () => Promise<void>, probe: StepProbe): Promise<StepResult> {
  const times: number[] = [];
  let main = 0;
  let workers = 0;
  const profiling = probe.cdp && probe.profileDir;
  const name = step.replace(/[^\w]+/g, '-').replace(/^-|-$/g, '');
  try {
    for (let i = 0; i < REPS; i++) {
      const before = probe.pid === undefined ? undefined : threadTicks(probe.pid);
      // Profiled: each repetition's step alone (not the reset between them), one file each.
      if (profiling) await probe.cdp!.send('Profiler.start');
      times.push(await once());
      if (profiling) {
        const { profile } = await probe.cdp!.send('Profiler.stop');
        writeFileSync(path.join(probe.profileDir!, `${name}.${String(i).padStart(2, '0')}.cpuprofile`), JSON.stringify(profile));
      }
      if (before) {
        const after = threadTicks(probe.pid!);
        main += after.main - before.main;
        workers += after.workers - before.workers;
      }
      await reset();
    }
  } catch (e) {
    return { step, p95Ms: null, note: `n/a (${(e as Error).message.split('\n')[0]})` };
  }
  const { p95: p, median } = p95(times);
  return {
    step, p95Ms: p, medianMs: median, firstMs: times[0]!,
    ...(probe.pid !== undefined ? { mainCpuMs: ticksToMs(main) / REPS, workerCpuMs: ticksToMs(workers) / REPS } : {}),
  };
}

const row = (path: string) => `[data-testid="tree.row"][data-path="${path}"], [data-testid="tree.row"][data-path="/${path}"]`;
const rowUnder = (path: string) => `[data-testid="tree.row"][data-path^="${path}/"], [data-testid="tree.row"][data-path^="/${path}/"]`;

export interface InteractionPlan {
  /** Two layer indexes to alternate between. */
  layers: [number, number];
  /** A directory with ~10k entries, and the path of one file in it to filter for. */
  bigDir?: string;
  filterText?: string;
}

/**
 * `profileDir`: also record a CPU profile of the page's main thread over each repetition of each
 * step (`<step>.<i>.cpuprofile`, for DevTools or bench/cpuprofile-summary.ts); the profiler slows
 * the page, so times of such a run are not the step's figures.
 */
export async function measureInteractions(browser: Browser, appUrl: string, archive: string, plan: InteractionPlan, opts: { profileDir?: string } = {}): Promise<{ steps: StepResult[]; graphMs?: number; loadedMs?: number }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, reducedMotion: 'reduce' });
  // tsx compiles this file with esbuild's keepNames: functions passed to page.evaluate call a
  // `__name` helper that only exists in Node. Give the page a harmless one.
  await context.addInitScript('globalThis.__name = (f) => f;');
  const page = await context.newPage();
  try {
    await page.goto(`${appUrl}?test`);
    await page.getByTestId('open.file-input').waitFor({ state: 'attached' });
    await page.evaluate(() => {
      const w = window as unknown as { __t: { change?: number; graph?: number } };
      w.__t = {};
      document.addEventListener('change', () => { w.__t.change ??= performance.now(); }, true);
      new MutationObserver(() => {
        if (!w.__t.graph && document.querySelector('[data-testid="layers.row"]')) w.__t.graph = performance.now();
      }).observe(document.body, { subtree: true, childList: true });
    });
    await page.getByTestId('open.file-input').setInputFiles(archive);
    await page.getByTestId('layers.row').first().waitFor({ timeout: 600_000 });
    await page.getByTestId('progress.panel').waitFor({ state: 'detached', timeout: 600_000 });
    const t = await page.evaluate(() => ({ ...(window as unknown as { __t: { change?: number; graph?: number } }).__t, now: performance.now() }));
    const graphMs = t.graph !== undefined && t.change !== undefined ? t.graph - t.change : undefined;
    const probe: StepProbe = { pid: ourPageProcess(), cdp: undefined, profileDir: opts.profileDir };
    if (opts.profileDir) {
      mkdirSync(opts.profileDir, { recursive: true });
      probe.cdp = await context.newCDPSession(page);
      await probe.cdp.send('Profiler.enable');
      await probe.cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    }
    const loadedMs = t.change !== undefined ? t.now - t.change : undefined;

    const steps: StepResult[] = [];
    let which = 1; // the count check below leaves layers[1] selected: start with layers[0]
    const layerSel = (i: number) => `[data-testid="layers.row"][data-layer-index="${i}"]`;
    // Done when the row is selected and the tree shows that layer: its row count changed (when the
    // two layers' counts differ; checked once, untimed).
    const count = async (i: number) => {
      await page.locator(layerSel(i)).first().click();
      await page.locator(`${layerSel(i)}[aria-selected="true"]`).first().waitFor();
      await page.waitForTimeout(500);
      return page.getByTestId('tree.count').textContent().catch(() => null);
    };
    const counts = [await count(plan.layers[0]), await count(plan.layers[1])];
    const changes = counts[0] !== null && counts[0] !== counts[1] ? '[data-testid="tree.count"]' : undefined;
    steps.push(await repeat(`select a layer${changes ? ' (tree updated)' : ' (row selected)'}`, async () => {
      which = 1 - which;
      const i = plan.layers[which]!;
      return timeInPage(page, { click: layerSel(i) }, `${layerSel(i)}[aria-selected="true"]`, undefined, changes);
    }, async () => undefined, probe));

    // The final view holds every path; the big directory's parents are opened once, untimed.
    await page.getByTestId('tree.mode.final').click().catch(() => undefined);
    if (plan.bigDir) {
      const parts = plan.bigDir.split('/');
      try {
        for (let i = 1; i < parts.length; i++) {
          const dir = parts.slice(0, i).join('/');
          const r = page.locator(row(dir)).first();
          await r.waitFor({ timeout: 10_000 });
          if ((await r.getAttribute('aria-expanded')) !== 'true') await r.locator('.tr-caret').click();
          await page.locator(row(parts.slice(0, i + 1).join('/'))).first().waitFor({ timeout: 10_000 });
        }
        const caret = row(plan.bigDir).split(', ').map((s) => `${s} .tr-caret`).join(', ');
        const dirRow = page.locator(row(plan.bigDir)).first();
        steps.push(await repeat('expand a 10k-entry directory', () => timeInPage(page, { click: caret }, rowUnder(plan.bigDir!)),
          async () => {
            if ((await dirRow.getAttribute('aria-expanded')) === 'true') await dirRow.locator('.tr-caret').click();
            await page.locator(rowUnder(plan.bigDir!)).first().waitFor({ state: 'detached', timeout: 10_000 });
          }, probe));
      } catch (e) {
        steps.push({ step: 'expand a 10k-entry directory', p95Ms: null, note: `n/a (${(e as Error).message.split('\n')[0]})` });
      }
    } else {
      steps.push({ step: 'expand a 10k-entry directory', p95Ms: null, note: 'n/a (no such directory known in this image)' });
    }

    if (plan.filterText) {
      const filter = '[data-testid="tree.filter"]';
      const text = plan.filterText;
      // From the input event to the rows shown: what the user waits for (the toolbar asks at once).
      const match = `[data-testid="tree.row"][data-path*="${text}"]`;
      steps.push(await repeat('filter by path', () => timeInPage(page, { fill: { selector: filter, value: text } }, match, undefined, '[data-testid="tree.count"]'),
        async () => {
          await page.locator(filter).fill('');
          await page.locator(match).first().waitFor({ state: 'detached', timeout: 10_000 });
        }, probe));
    } else {
      steps.push({ step: 'filter by path', p95Ms: null, note: 'n/a (no filter text for this image)' });
    }

    // The "Why so large" tab: from the click to the first frame with treemap cells painted.
    const sizeTab = '[data-testid="size.tab"]';
    if (await page.locator(sizeTab).count()) {
      steps.push(await repeat('open the treemap', () => timeInPage(page, { click: sizeTab }, '[data-testid="size.cell"]'),
        async () => {
          await page.locator('[data-testid="files.tab"]').click();
          await page.locator('[data-testid="size.cell"]').first().waitFor({ state: 'detached', timeout: 10_000 });
        }, probe));
    } else {
      steps.push({ step: 'open the treemap', p95Ms: null, note: 'n/a (no size.tab in the UI)' });
    }
    return { steps, ...(graphMs !== undefined ? { graphMs } : {}), ...(loadedMs !== undefined ? { loadedMs } : {}) };
  } finally {
    await context.close();
  }
}
