// dive's own test images, opened the way a user would: through the file input.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { diveFixture, diveFixtures, expect, expectEqual, Skip, waitFor } from './harness';
import type { StrataPage } from './pages/strata-page';

async function openDockerImage(app: StrataPage) {
  const file = diveFixture('test-docker-image.tar');
  await app.goto();
  await app.open(file);
  await app.waitLoaded();
}

export async function dockerImageHas14LayersAnd98PercentEfficiency(app: StrataPage) {
  await openDockerImage(app);
  expectEqual(await app.layers.rows().count(), 14, 'layer rows');
  expectEqual(await app.summaryText('efficiency'), '98.4%', 'efficiency');
  expect((await app.summaryText('wasted')).length > 0, 'wasted bytes shown');
  expect((await app.summaryText('reclaimable')).length > 0, 'reclaimable bytes shown');
  expectEqual(await app.errorBanner().count(), 0, 'error banners');
  // The top layer is selected at first, and the step is shown without the `#(nop)` noise.
  expectEqual(await app.layers.selectedIndex(), 13, 'selected layer');
  expect(!(await app.layers.selectedCommand().textContent())?.includes('#(nop)'), 'no #(nop) noise');
}

export async function rmRfLayerShowsRootExampleRemoved(app: StrataPage) {
  await openDockerImage(app);
  await app.layers.rowByCommand('rm -rf /root/example/').click();
  await app.tree.mode('layerOnly');
  await app.tree.expandAll();
  const row = app.tree.row('/root/example');
  await row.waitFor();
  expectEqual(await row.getAttribute('data-change'), 'removed', '/root/example change');
  await row.click();
  await waitFor(async () => (await app.detailsPath().textContent())?.replace(/^\/?/, '/') === '/root/example', 'details of /root/example');
  const history = (await app.page.getByTestId('details.history').textContent()) ?? '';
  expect(history.includes('removed'), `history names the removal (got ${history})`);
}

export async function filtersNarrowTheTree(app: StrataPage) {
  await openDockerImage(app);
  // Up to layer 6 /root/example still holds somefile1-3 (layer 9 removes it).
  await app.layers.select(6);
  await app.tree.mode('upTo');
  await app.tree.setFilter('somefile');
  // Every row either matches or leads to a match (the filter is debounced: wait for it).
  const narrowed = (paths: string[]) => paths.length > 0 && paths.every((p) => p.includes('somefile') || paths.some((q) => q.startsWith(p + '/')));
  const paths = await app.tree.waitForPaths(narrowed, 'only rows matching somefile and their directories');
  expect(paths.includes('/root/example/somefile1.txt'), `matches are expanded into view (got ${paths.join(' ')})`);
  await app.tree.setFilter('somefile[12]\\.txt$', true);
  const re = await app.tree.waitForPaths((p) => p.length > 0 && !p.some((x) => /somefile3|^\/somefile\.txt/.test(x)), 'regex rows');
  expect(re.includes('/root/example/somefile1.txt') && re.includes('/root/example/somefile2.txt'), `regex keeps somefile1/2 (got ${re.join(' ')})`);
  // A minimum size hides the small files.
  await app.tree.setFilter('');
  await app.page.getByTestId('tree.min-size').selectOption('1000000');
  const big = await app.tree.waitForPaths((p) => p.length > 0 && !p.includes('/somefile.txt'), 'rows of at least 1 MB');
  expect(big.includes('/bin'), `/bin (1.15 MB) stays (got ${big.join(' ')})`);
  await app.page.getByTestId('tree.min-size').selectOption('0');
  await app.tree.setFilter('');
  // Toggling a change kind hides it: in the rm -rf layer, hiding 'removed' hides /root/example.
  await app.layers.rowByCommand('rm -rf /root/example/').click();
  await app.tree.mode('layerOnly');
  await app.tree.expandAll();
  await app.tree.row('/root/example').waitFor();
  await app.tree.toggle('removed');
  await app.tree.row('/root/example').waitFor({ state: 'detached' });
  await app.tree.toggle('removed');
  await app.tree.row('/root/example').waitFor();
}

export async function keyboardWalksLayersAndTree(app: StrataPage) {
  await openDockerImage(app);
  await app.layers.focus();
  await app.page.keyboard.press('ArrowDown');
  expectEqual(await app.layers.selectedIndex(), 12, 'ArrowDown selects the layer below');
  await app.page.keyboard.press('ArrowUp');
  expectEqual(await app.layers.selectedIndex(), 13, 'ArrowUp selects the layer above');
  await app.tree.mode('final');
  await app.tree.collapseAll();
  await app.tree.rows().first().waitFor();
  await app.tree.focus();
  await app.page.keyboard.press('ArrowDown');
  const first = await waitFor(() => app.tree.selected().getAttribute('data-path'), 'a selected row');
  await app.page.keyboard.press('ArrowDown');
  const second = await waitFor(() => app.tree.selected().getAttribute('data-path'), 'the next row');
  expect(first !== second, 'ArrowDown moves the selection');
  await app.tree.row('/root').click();
  const before = await app.tree.rows().count();
  await app.page.keyboard.press('ArrowRight');
  await waitFor(async () => (await app.tree.rows().count()) > before, 'ArrowRight expands /root');
  await app.page.keyboard.press('Space');
  await waitFor(async () => (await app.tree.rows().count()) === before, 'Space collapses /root');
  await app.page.keyboard.press('/');
  expect(await app.tree.filter().evaluate((el) => el === document.activeElement), '/ focuses the filter');
}

export async function everyDiveImageOpens(app: StrataPage) {
  diveFixture('test-docker-image.tar');
  const files = readdirSync(diveFixtures).filter((f) => f.endsWith('.tar')).sort();
  if (files.length === 0) throw new Skip('no .tar files in the dive fixtures');
  await app.goto();
  for (const f of files) {
    await app.open(path.join(diveFixtures, f));
    await waitFor(async () => (await app.page.getByTestId('app.file-name').textContent()) === f, `${f} opening`);
    await app.waitLoaded();
    expect((await app.layers.rows().count()) >= 1, `${f}: at least one layer`);
    expectEqual(await app.errorBanner().count(), 0, `${f}: error banners`);
    await app.tree.mode('final');
    await app.tree.rows().first().waitFor();
  }
}

export async function downloadReportGivesTheCommandLineJson(app: StrataPage) {
  await openDockerImage(app);
  await app.page.getByTestId('side.tab.image').click();
  const [download] = await Promise.all([
    app.page.waitForEvent('download'),
    app.page.getByTestId('image.download-report').click(),
  ]);
  expect(download.suggestedFilename().endsWith('.json'), `a .json file (got ${download.suggestedFilename()})`);
  const file = await download.path();
  const report = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const text = JSON.stringify(report);
  expect(text.includes('efficiencyScore') && text.includes('0.98442'), 'dive figures in the report');
}
