// "Why so large" on the demo's v1 (public/demo/strata-ml-v1.tar, src/testing/demo-ml.ts: a dpkg
// database with CUDA packages, site-packages with RECORDs and nvidia wheels repeating that CUDA,
// weights baked in, a pip cache, __pycache__, a wheel removed by a later layer), opened through the
// file input as a user would. The figures are those `npm run analyze -- public/demo/strata-ml-v1.tar
// --json` reports.
import type { SizePage } from './pages/size-page';
import type { StrataPage } from './pages/strata-page';
import { demoImage, expect, saveScreen, test } from './test';

async function openSizeView(app: StrataPage, size: SizePage): Promise<void> {
  const file = demoImage('strata-ml-v1.tar');
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
  await expect(size.hoverCard()).toContainText('164 kB');
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

test('the invisible map shows the removed wheel', async ({ app, size }) => {
  await openSizeView(app, size);
  await size.toggleInvisible();
  await expect(size.cellsUnder('tmp/wheels/').first(), 'the wheel that layer 5 removed, in the invisible map').toBeVisible();
  await expect(size.cell('usr'), 'final-filesystem cells are gone').toHaveCount(0);
  await expect(size.crumbs().first(), 'breadcrumb root').toHaveText('shipped but invisible');
  // Zoom into the layer that shipped it.
  await size.openFirstDir();
  await expect(size.crumbs()).toHaveCount(2);
  await expect(size.crumbs().nth(1), 'zoomed into layer 3, the wheel COPY').toHaveText('layer 3');
});

test('the package table sorts by bytes and by name', async ({ app, size }) => {
  await openSizeView(app, size);
  for (const name of ['torch', 'numpy', 'nvidia_cublas_cu12', 'libcublas-12-4', 'bash', 'libc6']) await expect(size.packageRow(name).first(), `package ${name} listed`).toBeVisible();
  // 14 dpkg packages (10 of the base, 4 of CUDA) and 6 pip ones.
  await expect(size.packageRows()).toHaveCount(20);
  const names = await size.packageNames();

  await size.sortBy('bytes', 'descending');
  // pip's cuBLAS wheel (12.4 MB) outweighs the system's libcublas-12-4 (12.2 MB) it repeats.
  expect((await size.packageNames()).slice(0, 3), 'the largest packages').toEqual(['nvidia_cublas_cu12', 'libcublas-12-4', 'torch']);
  expect((await size.packageBytes()).slice(0, 3)).toEqual([12_400_000, 12_200_000, 7_440_000]);
  const desc = await size.packageBytes();
  expect(desc.length, 'a byte count for every package').toBe(names.length);
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
  // The weights, the pip cache, python itself, the app: files no package database lists.
  await expect(size.unownedRow(), 'unowned bytes shown').toContainText('14.1 MB');
  await size.filterPackagesByLayer(4);
  await expect(size.packageRows(), 'the five packages the pip layer installed').toHaveCount(5);
  expect((await size.packageNames()).sort(), 'layer 4 packages').toEqual(['numpy', 'nvidia_cublas_cu12', 'nvidia_cuda_runtime_cu12', 'nvidia_cudnn_cu12', 'torch']);
  await expect(size.unownedRow(), 'no unowned row in a one-layer view').toHaveCount(0);
});

test('findings name their bytes, layer and fix, largest first', async ({ app, size }) => {
  await openSizeView(app, size);
  await expect(size.findings()).toHaveCount(10);
  // Savings by bytes, then the layer-caching finding (the weights copied above the code).
  expect(await size.findings().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind'))), 'findings by bytes').toEqual([
    'cuda-duplicate', 'model-weights', 'pip-cache', 'removed-later', 'cuda-devel', 'apt-cache', 'pycache', 'removed-later', 'duplicate-content',
    'large-after-code',
  ]);
  await expect(size.findings().getByTestId('findings.bytes')).toHaveText([
    '15.4 MB', '11.5 MB', '1.85 MB', '1.54 MB', '1.29 MB', '199 kB', '18.7 kB', '2.63 kB', '475 B', '11.5 MB rebuilt per code change',
  ]);
  await expect(size.saving(), 'the savings add up (the rebuilt bytes are not among them)').toHaveText('31.9 MB');

  const cuda = size.findings('cuda-duplicate');
  await expect(cuda, 'the finding names its layer and step').toContainText('layer 4');
  await expect(cuda).toContainText('RUN pip install /tmp/wheels/torch-2.4.0-cp312-cp312-linux_x86_64.whl numpy==1.26.4');
  await expect(cuda, 'the finding lists its paths').toContainText('/usr/local/lib/python3.12/site-packages/nvidia/cublas/lib/libcublasLt.so.12');
  await expect(cuda, 'the finding names its fix').toContainText('Fix');
  await expect(cuda, 'the fix names the system copy').toContainText('usr/local/cuda-12.4/targets/x86_64-linux/lib/libcublasLt.so.12.4.5.8');
  const wheel = size.findings('removed-later').first();
  await expect(wheel).toContainText('/tmp/wheels/torch-2.4.0-cp312-cp312-linux_x86_64.whl');
  await expect(wheel).toContainText('removed by layer 5');
  await expect(size.findings('pip-cache')).toContainText('/root/.cache/pip/http-v2/3/c/9/a/1/3c9a1f07e2b4d5.body');
  await expect(size.findings('model-weights')).toContainText('/models/model.safetensors');
});

test('a click selects a finding', async ({ app, size }) => {
  await openSizeView(app, size);
  // Opened from a file, not the demo button: nothing is selected until a click.
  await expect(size.selectedFinding()).toHaveCount(0);
  await size.findings('model-weights').locator('.finding-title').click();
  await expect(size.selectedFinding()).toHaveAttribute('data-kind', 'model-weights');
  await size.findings('pip-cache').locator('.finding-title').click();
  await expect(size.selectedFinding()).toHaveAttribute('data-kind', 'pip-cache');
  await expect(size.selectedFinding()).toHaveCount(1);
});

test('the largest file links to the tree', async ({ app, size, tree }) => {
  await openSizeView(app, size);
  const first = size.largestFiles().first();
  await expect(first).toBeVisible();
  const target = await size.largestFilePath(first);
  expect(target, 'the weights are the largest file').toBe('models/model.safetensors');
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
