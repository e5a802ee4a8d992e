// Progress while reading: the layer graph is drawn from the summary before any layer is indexed,
// and each layer reports which layer, bytes and percent. (Cancel is exercised by hand on a large
// archive: a load here is too quick to cancel reliably.)
import { expect } from './harness';
import { slowFixture } from './fixtures';
import type { StrataPage } from './pages/strata-page';

export async function progressNamesLayerBytesAndPercent(app: StrataPage) {
  const file = await slowFixture();
  await app.goto();
  // Record what the progress rows and the layer graph showed while the load ran.
  await app.page.evaluate(() => {
    const seen: { progress: string[]; graphBeforeIndexed: boolean } = { progress: [], graphBeforeIndexed: false };
    (window as unknown as { __seen: typeof seen }).__seen = seen;
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('[data-testid="progress.layer"]')) seen.progress.push(el.textContent ?? '');
      if (document.querySelector('[data-testid="layers.row"]') && document.querySelector('[data-testid="progress.layer"]')) seen.graphBeforeIndexed = true;
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await app.open(file);
  await app.waitLoaded();
  const seen = await app.page.evaluate(() => (window as unknown as { __seen: { progress: string[]; graphBeforeIndexed: boolean } }).__seen);
  expect(seen.progress.length > 0, 'progress rows were shown');
  expect(seen.progress.some((t) => /^L[01]RUN make (alpha|beta).*B \/ .*B\d+%$/.test(t)), `a row names the layer, bytes and percent (saw ${seen.progress.slice(0, 3).join(' | ')})`);
  expect(seen.graphBeforeIndexed, 'the layer graph was drawn while layers were still being read');
}
