// What a newcomer sees first (issue 18): the layer a page opens on, a small layer's changes shown
// without a click, counts that say their unit, and two images drawn as a branch, each in its lane.
// The figures are dive's test image's (the same the CLI prints: src/cli/analyze.test.ts), the
// compare fixture's (src/testing/compare-images.ts) and the ML demo's (src/testing/demo-ml.ts).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { noise, writeOciLayout } from '../src/testing/index';
import { HOSTILE_TAG } from './images';
import type { LayerGraph } from './pages/layer-graph';
import type { StrataPage } from './pages/strata-page';
import { diveImage, expect, saveScreen, test } from './test';

async function openDive(app: StrataPage): Promise<void> {
  const file = diveImage('test-docker-image.tar');
  await app.goto();
  await app.open(file);
  await app.waitLoaded();
}

const RM_LAYER = 'rm -rf /root/example/';

test('dive\'s image opens on the final image; picking a layer shows its changes, opened', async ({ app, layers, tree }) => {
  await openDive(app);
  await expect(tree.modeOn(), 'the tree opens on the final image').toHaveAttribute('data-testid', 'tree.mode.final');
  await expect(layers.selected(), 'the top layer is the one selected').toHaveAttribute('data-layer-index', '13');
  await expect.poll(() => tree.lines(), { message: 'the final filesystem, top level, closed' }).toEqual([
    'bin unchanged ▸', 'dev unchanged', 'etc unchanged ▸', 'home unchanged', 'root unchanged ▸', 'somefile.txt unchanged',
    'tmp unchanged ▸', 'usr unchanged ▸', 'var unchanged ▸',
  ]);

  // The rm -rf layer: its one removal is on screen without expanding by hand.
  await layers.rowByCommand(RM_LAYER).click();
  await expect(tree.modeOn(), 'picking a layer shows that layer').toHaveAttribute('data-testid', 'tree.mode.layerOnly');
  await expect.poll(() => tree.lines(), { message: 'the way to the removed /root/example is open' }).toEqual([
    'root meta ▾', 'root/example removed',
  ]);

  // The user's own expansion wins once they touch it.
  await tree.toggleRow('root');
  await expect.poll(() => tree.lines(), { message: 'root closed by hand stays closed' }).toEqual(['root meta ▸']);

  // Another small layer opens the way to its own changes: the mv moves somefile3 to /root/saved.txt.
  await layers.rowByCommand('mv /root/example/somefile3.txt').click();
  await expect.poll(() => tree.lines(), { message: 'the mv layer, opened' }).toEqual([
    'root meta ▾', 'root/example meta ▾', 'root/example/somefile3.txt removed', 'root/saved.txt added',
  ]);
  await tree.toggleRow('root/example');
  await expect.poll(() => tree.lines(), { message: 'closing one directory changes that row only' }).toEqual([
    'root meta ▾', 'root/example meta ▸', 'root/saved.txt added',
  ]);

  // "Up to" and "Final" open only what the user opened (here /root, kept from the mv layer).
  await tree.mode('upTo');
  await expect.poll(() => tree.lines(), { message: 'up to the mv layer: the user\'s expansion only' }).toEqual([
    'bin unchanged ▸', 'dev unchanged', 'etc unchanged ▸', 'home unchanged', 'root meta ▾', 'root/example meta ▸',
    'root/saved.txt added', 'somefile.txt unchanged', 'tmp unchanged', 'usr unchanged ▸', 'var unchanged ▸',
  ]);

  // The first layer changes 415 paths: too many to open, so "This layer" starts closed there.
  await layers.select(0);
  await expect(tree.modeOn()).toHaveAttribute('data-testid', 'tree.mode.upTo');
  await tree.mode('layerOnly');
  await expect.poll(() => tree.lines(), { message: 'a big layer is not opened' }).toEqual([
    'bin added ▸', 'dev added', 'etc added ▸', 'home added', 'root added', 'tmp added', 'usr added ▸', 'var added ▸',
  ]);
});

test('a layer\'s files and the paths it changed say their unit, as analyze prints them', async ({ app, layers }) => {
  await openDive(app);
  // Files are non-directory entries; paths count directories too (398 files, 415 paths added).
  await expect(layers.meta(0)).toHaveText('1.37 MB · 398 files · paths +415 ~0 −0');
  await expect(layers.meta(7)).toHaveText('9.73 kB · 1 file · paths +1 ~2 −1');
  await expect(layers.meta(9)).toHaveText('2.05 kB · 0 files · paths +0 ~1 −1');
  await layers.rowByCommand(RM_LAYER).click();
  await expect(layers.selectedCounts()).toHaveText('0 files · paths +0 ~1 −1');
  await expect(layers.selectedCounts()).toHaveAttribute('title', /directories included/);
});

/** The compare fixture as `docker save shop:1.0 <hostile tag>`, top of the screen first. */
const SHOP_GRAPH = [
  `1 head ${HOSTILE_TAG}`,
  '1 writable',
  '1 step CMD ["serve.py"]',
  '1 step USER app',
  '1 layer 6 RUN python -m compileall /app',
  '1 layer 5 RUN ./build.sh --release',
  '1 layer 4 RUN npm ci',
  '1 layer 3 RUN apt-get install -y curl',
  '1 layer 2 COPY app /app',
  '1 layer 1 RUN pip install -r requirements.txt',
  '0 head shop:1.0',
  '0 writable',
  '0 step CMD ["main.py"]',
  '0 layer 6 RUN python -m compileall /app',
  '0 layer 5 RUN ./build.sh --fast',
  '0 layer 4 RUN install-legacy',
  '0 layer 3 RUN npm ci',
  '0 layer 2 COPY app /app',
  '0 layer 1 RUN pip install -r requirements.txt',
  '0 step ENV LANG=C.UTF-8',
  '0 layer 0 ADD file:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef in /',
];

async function openShopPair(app: StrataPage, layers: LayerGraph, file: string): Promise<void> {
  await app.goto();
  await app.open(file);
  await app.waitLoaded();
  await expect(layers.rows()).toHaveCount(13);
}

test('two images: each image\'s own layers in its own lane above the shared base, its tag on top', async ({ app, layers, ownImages, page }) => {
  await openShopPair(app, layers, ownImages.shopPair);
  expect(await layers.screenOrder()).toEqual(SHOP_GRAPH);
  await expect(layers.sharedRows(), 'the base is drawn once').toHaveCount(1);
  // The hostile tag is characters on the screen, never markup.
  await expect(layers.headRows().nth(1).locator('text')).toHaveText(HOSTILE_TAG);
  await expect(page.locator('.layer-graph b, .layer-graph img, .layer-pane img')).toHaveCount(0);
  await expect(page.getByTestId('layers.image').locator('option').nth(1)).toHaveText(HOSTILE_TAG);
});

test('"Why so large" highlights the largest layer', async ({ app, layers, page }) => {
  await openDive(app);
  await page.getByTestId('size.tab').click();
  await expect(layers.selected(), 'the 1.37 MB base layer').toHaveAttribute('data-layer-index', '0');
  await expect(layers.selectedCommand()).toHaveText('ADD file:ce026b62356eec3ad1214f92be2c9dc063fe205bd5e600be3492c4dfb17148bd in /');
});

test('the ML demo opens on "Why so large" with its largest layer highlighted', async ({ app, layers, page }) => {
  await app.goto();
  await page.getByTestId('open.demo.strata-ml-v1').click();
  await app.waitLoaded();
  await expect(page.getByTestId('size.view')).toBeVisible();
  // The 26.4 MB pip install of torch, not the 2.56 kB chmod on top.
  await expect(layers.selected()).toHaveAttribute('data-layer-index', '4');
  await expect(layers.selectedCommand()).toHaveText('RUN pip install /tmp/wheels/torch-2.4.0-cp312-cp312-linux_x86_64.whl numpy==1.26.4');
});

test('an image read layer by layer still highlights its largest layer in "Why so large"', async ({ app, layers, page, scratchDir }) => {
  // gzip layers are explored while they are read, each layer read selected in turn: the page's own
  // moves must not count as the user's pick, or "Why so large" would leave the top layer selected.
  const file = path.join(scratchDir, 'largest-below.tar');
  writeFileSync(file, await writeOciLayout([{ tags: ['e2e/largest-below:1'], layers: [
    { createdBy: 'RUN make base', files: [{ path: 'opt/base.txt', content: 'base\n' }] },
    { createdBy: 'RUN make big', files: Array.from({ length: 16 }, (_, i) => ({ path: `opt/big/part${i}.bin`, content: noise(1_000_000, 40 + i) })) },
    { createdBy: 'RUN make small', files: [{ path: 'opt/small.txt', content: 'small\n' }] },
  ] }]));
  await app.goto();
  await app.open(file);
  await app.waitLoaded();
  await expect(layers.selectedCommand(), 'the top layer, in the final image').toHaveText('RUN make small');
  await page.getByTestId('size.tab').click();
  await expect(layers.selectedCommand(), 'the 16 MB layer, not the 6-byte one on top').toHaveText('RUN make big');
  await expect(layers.selected()).toHaveAttribute('data-layer-index', '1');
});

test.describe('screens', { tag: '@looks' }, () => {
  test('newcomer dive rm', async ({ app, layers, tree }) => {
    await openDive(app);
    await layers.rowByCommand(RM_LAYER).click();
    await expect(tree.row('root/example')).toBeVisible();
    await saveScreen(app, 'newcomer-dive-rm');
  });

  test('newcomer two lanes', async ({ app, layers, ownImages }) => {
    await openShopPair(app, layers, ownImages.shopPair);
    // The second image's top layer: its lane, its tag and the first image's lane below it.
    await layers.row(6, (await layers.headRows().nth(1).getAttribute('data-image-ids')) ?? undefined).click();
    await saveScreen(app, 'newcomer-two-lanes');
  });

  test('newcomer ML size', async ({ app, layers, page }) => {
    await app.goto();
    await page.getByTestId('open.demo.strata-ml-v1').click();
    await app.waitLoaded();
    await expect(layers.selected()).toHaveAttribute('data-layer-index', '4');
    await saveScreen(app, 'newcomer-ml-size');
  });
});
