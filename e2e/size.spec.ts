// "Why so large" on the demo image (public/demo/strata-demo-v1.tar: dpkg database, site-packages
// with RECORDs, a pip cache removed later, __pycache__, whiteouts, a duplicate file), opened
// through the file input as a user would.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, expectEqual, repoRoot, Skip, waitFor } from './harness';
import { parseBytes, SizePage } from './pages/size-page';
import type { StrataPage } from './pages/strata-page';

const DEMO = path.join(repoRoot, 'public', 'demo', 'strata-demo-v1.tar');

async function openSizeView(app: StrataPage): Promise<SizePage> {
  if (!existsSync(DEMO)) throw new Skip(`needs ${DEMO} (npm run build writes it)`);
  await app.goto();
  await app.open(DEMO);
  await app.waitLoaded();
  const size = new SizePage(app.page);
  await size.open();
  return size;
}

export async function treemapZoomsIntoADirectoryAndTheBreadcrumbGoesBack(app: StrataPage) {
  const size = await openSizeView(app);
  expectEqual((await size.crumbs()).join(' '), '/', 'breadcrumb at the root');
  const top = await size.cellPaths();
  expect(top.includes('usr') && top.includes('bin'), `top-level directories drawn (got ${top.slice(0, 8).join(', ')})`);
  expect(top.some((p) => p.split('/').length === 3), 'the map shows three levels');

  // Hovering a file names its path, size and layer.
  await size.cell('bin/bash').hover();
  const card = (await size.hoverCard().textContent()) ?? '';
  expect(card.includes('/bin/bash') && /\d+(\.\d+)? kB/.test(card) && card.includes('layer 0'), `hover card (got ${card})`);

  await size.openDir('usr');
  expectEqual((await size.waitForCrumbs(2)).join(' '), '/ usr', 'breadcrumb after zooming into /usr');
  // The map settles on /usr alone (fails by timeout if any cell outside /usr stays painted).
  const inUsr = await waitFor(async () => {
    const p = await size.cellPaths();
    return p.length > 0 && p.every((x) => x.startsWith('usr/')) ? p : null;
  }, 'only cells below /usr');
  // /usr/local/lib sat at the depth limit at the root; now it is a frame with files inside.
  expect(inUsr.some((p) => p.startsWith('usr/local/lib/')), 'cells below /usr/local/lib after zooming');

  await size.openDir('usr/local');
  expectEqual((await size.waitForCrumbs(3)).join(' '), '/ usr local', 'breadcrumb after zooming into /usr/local');
  // Escape on the focused map zooms out one level.
  await app.page.getByTestId('size.treemap').focus();
  await app.page.keyboard.press('Escape');
  expectEqual((await size.waitForCrumbs(2)).join(' '), '/ usr', 'Escape goes back to /usr');

  await size.crumb(0);
  await size.waitForCrumbs(1);
  await waitFor(async () => (await size.cellPaths()).includes('bin'), 'the root map again');
}

export async function invisibleMapShowsTheRemovedPipCache(app: StrataPage) {
  const size = await openSizeView(app);
  await size.toggleInvisible();
  const paths = await waitFor(async () => {
    const p = await size.cellPaths();
    return p.some((x) => x.startsWith('root/.cache/pip/')) ? p : null;
  }, 'the pip cache that layer 5 removed, in the invisible map');
  expect(!paths.includes('usr'), 'final-filesystem cells are gone');
  expectEqual((await size.crumbs())[0], 'shipped but invisible', 'breadcrumb root');
  // Zoom into the layer that shipped it.
  await app.page.locator('[data-testid="size.cell"][data-kind="dir"]').first().locator('rect').first().click({ position: { x: 10, y: 6 } });
  expectEqual((await size.waitForCrumbs(2))[1], 'layer 2', 'zoomed into layer 2');
}

export async function packageTableSortsByBytesAndByName(app: StrataPage) {
  const size = await openSizeView(app);
  await size.packageRows().first().waitFor();
  const names = await size.packageNames();
  for (const n of ['requests', 'numpy', 'certifi', 'bash', 'libc6']) expect(names.includes(n), `package ${n} listed`);

  await size.sortBy('bytes', 'descending');
  const desc = await size.packageBytes();
  expect(desc.length === names.length && desc.length >= 10, 'a byte count for every package');
  for (let i = 1; i < desc.length; i++) expect(desc[i - 1]! >= desc[i]!, `bytes descending at row ${i}: ${desc[i - 1]} then ${desc[i]}`);
  expect(desc[0]! > desc[desc.length - 1]!, 'not all equal');
  expectEqual((await size.packageNames())[0], 'numpy', 'largest package');

  await size.sortBy('bytes', 'ascending');
  const asc = await size.packageBytes();
  for (let i = 1; i < asc.length; i++) expect(asc[i - 1]! <= asc[i]!, `bytes ascending at row ${i}`);

  await size.sortBy('name', 'ascending');
  const byName = await size.packageNames();
  expectEqual(JSON.stringify(byName), JSON.stringify([...byName].sort((a, b) => a.localeCompare(b))), 'names ascending');
  await size.sortBy('name', 'descending');
  const byNameDesc = await size.packageNames();
  expectEqual(byNameDesc[0], [...byName].sort((a, b) => b.localeCompare(a))[0], 'names descending');

  // Files no package owns are one row; filtering by the pip layer leaves the pip packages.
  expect(parseBytes((await size.unownedRow().textContent()) ?? '') > 0, 'unowned bytes shown');
  await size.filterPackagesByLayer(2);
  const pip = await waitFor(async () => {
    const n = await size.packageNames();
    return n.length === 3 ? n : null;
  }, 'the three packages layer 2 installed');
  expectEqual([...pip].sort().join(','), 'certifi,numpy,requests', 'layer 2 packages');
  expectEqual(await size.unownedRow().count(), 0, 'no unowned row in a one-layer view');
}

export async function findingsNameBytesLayerAndFix(app: StrataPage) {
  const size = await openSizeView(app);
  const row = size.findings('pycache').or(size.findings('pip-cache')).first();
  await row.waitFor();
  const bytes = parseBytes((await row.getByTestId('findings.bytes').textContent()) ?? '');
  expect(bytes > 0, 'the finding names the bytes it would save');
  const text = (await row.textContent()) ?? '';
  expect(text.includes('__pycache__') || text.includes('.cache/pip'), `the finding lists its paths (got ${text.slice(0, 200)})`);
  expect(/layer \d/.test(text) && text.includes('Fix'), 'the finding names its layer and its fix');
  expect((await size.findings('removed-later').count()) >= 1, 'the removed pip cache is a removed-later finding');
  expect((await size.findings('duplicate-content').count()) >= 1, 'the duplicate file is found');
}

export async function largestFileLinksToTheTree(app: StrataPage) {
  const size = await openSizeView(app);
  const first = size.largestFiles().first();
  await first.waitFor();
  const target = (await first.getAttribute('data-path'))!;
  await first.click();
  const row = app.tree.row(target);
  await row.waitFor();
  expectEqual(await row.getAttribute('aria-selected'), 'true', `${target} selected in the tree`);
  await waitFor(async () => (await app.detailsPath().textContent()) === target, `details of ${target}`);
}

/** For people to look at: test-results/screens/size-*.png in light and dark. */
export async function sizeViewScreens(app: StrataPage) {
  const size = await openSizeView(app);
  const dir = path.join(repoRoot, 'test-results', 'screens');
  mkdirSync(dir, { recursive: true });
  await size.packageRows().first().waitFor();
  await size.findings().first().waitFor();
  for (const scheme of ['light', 'dark'] as const) {
    await app.setScheme(scheme);
    await app.page.locator('.size-view').evaluate((el) => { el.scrollTop = 0; });
    await app.screenshot(path.join(dir, `size-map-${scheme}.png`));
    await app.page.getByTestId('packages.table').scrollIntoViewIfNeeded();
    await app.screenshot(path.join(dir, `size-packages-${scheme}.png`));
  }
}
