// The Content-Security-Policy (src/server/security-headers.ts): sent by our server and written into
// the built index.html, in force (an injected inline script, a string timer, an inline handler and an inline
// style are refused and reported), and the app runs within it: every demo opens, with its size view
// and report, and no violation (every other spec checks the same through the app fixture).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, repoRoot, test } from './test';

const POLICY = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; "
  + "connect-src 'self' data:; img-src 'self' blob: data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
// A <meta> policy cannot carry frame-ancestors.
const META_POLICY = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; "
  + "connect-src 'self' data:; img-src 'self' blob: data:; object-src 'none'; base-uri 'none'; form-action 'none'";

test.describe('content security policy', () => {
  test('the server sends the policy and its companions, and index.html carries it', async ({ app, page, request }) => {
    const res = await page.goto('./?test');
    const headers = res!.headers();
    expect(headers['content-security-policy']).toBe(POLICY);
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(headers['x-content-type-options']).toBe('nosniff');
    await expect(app.cspMeta()).toHaveAttribute('content', META_POLICY);
    // Workers take the policy of their own script's response, so every asset carries it too.
    const script = await page.locator('script[src]').first().getAttribute('src');
    expect((await request.get(script!)).headers()['content-security-policy']).toBe(POLICY);
  });

  test.describe('violations', () => {
    test.use({ expectCspViolations: true });

    const REFUSALS = ['script-src eval', 'script-src-attr inline', 'script-src-elem inline', 'style-src-elem inline'];
    // With the header and the meta both in force, each policy reports each refusal.
    const cases = [
      { via: 'header and meta', reported: REFUSALS.flatMap((r) => [r, r]) },
      { via: 'meta alone', reported: REFUSALS },
    ] as const;
    for (const { via, reported } of cases) {
      test(`an injected inline script, string timer, inline handler and inline style are refused (${via})`, async ({ app, page, cspViolations }) => {
        // dist/ on a static host: the same page without the header, so only the meta applies.
        if (via === 'meta alone') await dropPolicyHeader(page);
        await app.goto();
        await page.evaluate(provokeViolations);
        await expect.poll(() => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations.sort()), { message: 'each refusal is reported' })
          .toEqual(reported);
        expect(await page.evaluate(injectedEffects), 'nothing injected ran or applied').toEqual({ script: false, timer: false, handler: false, style: '' });
        expect(cspViolations.length, 'each refusal reaches the console').toBeGreaterThanOrEqual(REFUSALS.length);
      });
    }
  });

  test('every demo opens, with its size view and report, within the policy', { tag: '@csp' }, async ({ app, size }) => {
    // Two loads of the ML demo (83 and 58 MB) in one test: more than the 60 s a test gets on a
    // shared 2-core machine.
    test.slow();
    await app.goto();
    // The main demo and one button for each other image public/demo/manifest.json lists.
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'public', 'demo', 'manifest.json'), 'utf8')) as { demos: unknown[] };
    await expect(app.demoFileButtons()).toHaveCount(manifest.demos.length - 1);
    const more = await app.demoFileButtons().count();
    for (let i = -1; i < more; i++) {
      await app.goto();
      const button = i < 0 ? app.demoButton() : app.demoFileButtons().nth(i);
      await test.step((await button.getAttribute('data-testid'))!, async () => {
        await button.click();
        await app.waitDemoLoaded();
        await expect(app.errorBanners()).toHaveCount(0);
        await size.open();
        await expect(size.findings().first()).toBeVisible();
        await app.showImagePane();
        expect((await app.downloadReport()).suggestedFilename()).toMatch(/\.json$/);
      });
    }
  });
});

/** Serves the document without its Content-Security-Policy header (as a static host would). */
async function dropPolicyHeader(page: Page): Promise<void> {
  await page.route((url) => url.pathname === '/', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['content-security-policy'];
    await route.fulfill({ response, headers });
  });
}

/** Runs in the page: tries what the policy forbids and records each `securitypolicyviolation`. */
function provokeViolations() {
  const w = window as unknown as { __violations: string[] };
  w.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
  const script = document.createElement('script');
  script.textContent = 'window.__scriptRan = true';
  document.head.append(script);
  // A string handed to setTimeout is compiled later, by the page itself (an eval() here would be
  // compiled on behalf of the test driver, which the policy does not govern).
  setTimeout('window.__timerRan = true', 0);
  const img = document.createElement('img');
  img.setAttribute('onerror', 'window.__handlerRan = true');
  img.src = 'data:,not-an-image';
  document.body.append(img);
  const style = document.createElement('style');
  style.textContent = ':root { --injected: yes }';
  document.head.append(style);
}

/** Runs in the page, a moment later: what of the above took effect. */
function injectedEffects() {
  const w = window as unknown as { __scriptRan?: boolean; __timerRan?: boolean; __handlerRan?: boolean };
  return {
    script: w.__scriptRan === true,
    timer: w.__timerRan === true,
    handler: w.__handlerRan === true,
    style: getComputedStyle(document.documentElement).getPropertyValue('--injected'),
  };
}
