// Progress while reading: the layer graph is drawn from the summary before any layer is indexed,
// and each layer reports which layer, bytes and percent. (Cancel is exercised by hand on a large
// archive: a load here is too quick to cancel reliably.)
import { expect, test } from './test';

interface Seen { progress: string[]; graphBeforeIndexed: boolean }

test('progress names the layer, its bytes and percent', async ({ app, page, slowImage }) => {
  await app.goto();
  // Record what the progress rows and the layer graph showed while the load ran: the rows come
  // and go faster than assertions could poll them.
  await page.evaluate(() => {
    const seen: Seen = { progress: [], graphBeforeIndexed: false };
    (window as unknown as { __seen: Seen }).__seen = seen;
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('[data-testid="progress.layer"]')) seen.progress.push(el.textContent ?? '');
      if (document.querySelector('[data-testid="layers.row"]') && document.querySelector('[data-testid="progress.layer"]')) seen.graphBeforeIndexed = true;
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await app.open(slowImage);
  await app.waitLoaded();
  const seen = await page.evaluate(() => (window as unknown as { __seen: Seen }).__seen);
  expect(seen.progress.length, 'progress rows were shown').toBeGreaterThan(0);
  expect(seen.progress, 'a row names the layer, bytes and percent').toContainEqual(expect.stringMatching(/^L[01]RUN make (alpha|beta).*B \/ .*B\d+%$/));
  expect(seen.graphBeforeIndexed, 'the layer graph was drawn while layers were still being read').toBe(true);
});
