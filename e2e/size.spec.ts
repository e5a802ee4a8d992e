// "Why so large" on the demo image (public/demo/strata-demo-v1.tar: dpkg database, site-packages
// with RECORDs, a pip cache removed later, __pycache__, whiteouts, a duplicate file), opened
// through the file input as a user would.
import { parseBytes, type SizePage } from './pages/size-page';
import type { StrataPage } from './pages/strata-page';
import { demoImage, expect, saveScreen, test } from './test';

async function openSizeView(app: StrataPage, size: SizePage): Promise<void> {
  const file = demoImage();
  await app.goto();
  await app.open(file);
  await app.waitLoaded();
  await size.open();
}

test('the treemap zooms into a directory and the breadcrumb goes back', async ({ app, size }) => {
  await openSizeView(app, size);
  await expect(size.crumbs(), 'breadcrumb at the root').toHaveText(['/']);
  await expect(size.cell('usr'), 'top-level directories drawn').toBeVisible();
  await expect(size.cell('bin'), 'top-level directories drawn').toBeVisible();
  await expect.poll(async () => (await size.cellPaths()).some((p) => p.split('/').length === 3), { message: 'the map shows three levels' }).toBe(true);

  // Hovering a file names its path, size and layer.
  await size.cell('bin/bash').hover();
  await expect(size.hoverCard()).toContainText('/bin/bash');
  await expect(size.hoverCard()).toContainText(/\d+(\.\d+)? kB/);
  await expect(size.hoverCard()).toContainText('layer 0');

  await size.openDir('usr');
  await expect(size.crumbs(), 'breadcrumb after zooming into /usr').toHaveText(['/', 'usr']);
  // The map settles on /usr alone; /usr/local/lib sat at the depth limit at the root, now it is a
  // frame with files inside.
  await expect.poll(async () => {
    const paths = await size.cellPaths();
    return { outsideUsr: paths.filter((p) => !p.startsWith('usr/')), belowLocalLib: paths.some((p) => p.startsWith('usr/local/lib/')) };
  }, { message: 'only cells below /usr, down to /usr/local/lib/*' }).toEqual({ outsideUsr: [], belowLocalLib: true });

  await size.openDir('usr/local');
  await expect(size.crumbs(), 'breadcrumb after zooming into /usr/local').toHaveText(['/', 'usr', 'local']);
  await size.zoomOutWithEscape();
  await expect(size.crumbs(), 'Escape goes back to /usr').toHaveText(['/', 'usr']);

  await size.crumb(0);
  await expect(size.crumbs()).toHaveCount(1);
  await expect(size.cell('bin'), 'the root map again').toBeVisible();
});

test('the invisible map shows the removed pip cache', async ({ app, size }) => {
  await openSizeView(app, size);
  await size.toggleInvisible();
  await expect(size.cellsUnder('root/.cache/pip/').first(), 'the pip cache that layer 5 removed, in the invisible map').toBeVisible();
  await expect(size.cell('usr'), 'final-filesystem cells are gone').toHaveCount(0);
  await expect(size.crumbs().first(), 'breadcrumb root').toHaveText('shipped but invisible');
  // Zoom into the layer that shipped it.
  await size.openFirstDir();
  await expect(size.crumbs()).toHaveCount(2);
  await expect(size.crumbs().nth(1), 'zoomed into layer 2').toHaveText('layer 2');
});

test('the package table sorts by bytes and by name', async ({ app, size }) => {
  await openSizeView(app, size);
  for (const name of ['requests', 'numpy', 'certifi', 'bash', 'libc6']) await expect(size.packageRow(name).first(), `package ${name} listed`).toBeVisible();
  const names = await size.packageNames();

  await size.sortBy('bytes', 'descending');
  await expect(size.packageRows().first(), 'the largest package').toHaveAttribute('data-name', 'numpy');
  const desc = await size.packageBytes();
  expect(desc.length, 'a byte count for every package').toBe(names.length);
  expect(desc.length).toBeGreaterThanOrEqual(10);
  for (let i = 1; i < desc.length; i++) expect(desc[i - 1]!, `bytes descending at row ${i}`).toBeGreaterThanOrEqual(desc[i]!);
  expect(desc[0]!, 'not all equal').toBeGreaterThan(desc[desc.length - 1]!);

  await size.sortBy('bytes', 'ascending');
  const asc = await size.packageBytes();
  for (let i = 1; i < asc.length; i++) expect(asc[i - 1]!, `bytes ascending at row ${i}`).toBeLessThanOrEqual(asc[i]!);

  await size.sortBy('name', 'ascending');
  const byName = await size.packageNames();
  expect(byName, 'names ascending').toEqual([...byName].sort((a, b) => a.localeCompare(b)));
  await size.sortBy('name', 'descending');
  expect((await size.packageNames())[0], 'names descending').toBe([...byName].sort((a, b) => b.localeCompare(a))[0]);

  // Files no package owns are one row; filtering by the pip layer leaves the pip packages.
  await expect(size.unownedRow()).toBeVisible();
  expect(parseBytes(await size.unownedRow().textContent()), 'unowned bytes shown').toBeGreaterThan(0);
  await size.filterPackagesByLayer(2);
  await expect(size.packageRows(), 'the three packages layer 2 installed').toHaveCount(3);
  expect((await size.packageNames()).sort(), 'layer 2 packages').toEqual(['certifi', 'numpy', 'requests']);
  await expect(size.unownedRow(), 'no unowned row in a one-layer view').toHaveCount(0);
});

test('findings name their bytes, layer and fix', async ({ app, size }) => {
  await openSizeView(app, size);
  const row = size.findings('pycache').or(size.findings('pip-cache')).first();
  await expect(size.findingBytes(row)).toBeVisible();
  expect(parseBytes(await size.findingBytes(row).textContent()), 'the finding names the bytes it would save').toBeGreaterThan(0);
  await expect(row, 'the finding lists its paths').toContainText(/__pycache__|\.cache\/pip/);
  await expect(row, 'the finding names its layer').toContainText(/layer \d/);
  await expect(row, 'the finding names its fix').toContainText('Fix');
  await expect(size.findings('removed-later'), 'the removed pip cache is a removed-later finding').not.toHaveCount(0);
  await expect(size.findings('duplicate-content'), 'the duplicate file is found').not.toHaveCount(0);
});

test('the largest file links to the tree', async ({ app, size, tree }) => {
  await openSizeView(app, size);
  const first = size.largestFiles().first();
  await expect(first).toBeVisible();
  const target = await size.largestFilePath(first);
  await first.click();
  await expect(tree.row(target), `${target} selected in the tree`).toHaveAttribute('aria-selected', 'true');
  await expect(app.detailsPath()).toHaveText(`/${target}`);
});

test('size view screens', { tag: '@looks' }, async ({ app, size }) => {
  // For people to look at: test-results/screens/size-*-<scheme>.png.
  await openSizeView(app, size);
  await expect(size.packageRows().first()).toBeVisible();
  await expect(size.findings().first()).toBeVisible();
  await size.scrollToTop();
  await saveScreen(app, 'size-map');
  await size.packagesTable().scrollIntoViewIfNeeded();
  await saveScreen(app, 'size-packages');
});
