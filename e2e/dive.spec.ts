// dive's own test images, opened the way a user would: through the file input.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { diveDir, diveImage, expect, test } from './test';
import type { StrataPage } from './pages/strata-page';

const BYTE_COUNT = /^\d+(\.\d+)? (B|kB|MB|GB|TB)$/;

async function openDockerImage(app: StrataPage): Promise<void> {
  const file = diveImage('test-docker-image.tar');
  await app.goto();
  await app.open(file);
  await app.waitLoaded();
}

test('dive\'s docker image has 14 layers and 98.4% efficiency', async ({ app, layers }) => {
  await openDockerImage(app);
  await expect(layers.rows()).toHaveCount(14);
  await expect(app.summary('efficiency')).toHaveText('98.4%');
  await expect(app.summary('wasted'), 'wasted bytes shown').toHaveText(BYTE_COUNT);
  await expect(app.summary('reclaimable'), 'reclaimable bytes shown').toHaveText(BYTE_COUNT);
  await expect(app.errorBanners()).toHaveCount(0);
  // The top layer is selected at first, and the step is shown without the `#(nop)` noise.
  await expect(layers.selected()).toHaveAttribute('data-layer-index', '13');
  await expect(layers.selectedCommand()).toBeVisible();
  await expect(layers.selectedCommand(), 'no #(nop) noise').not.toContainText('#(nop)');
});

test('the rm -rf layer shows /root/example removed', async ({ app, layers, tree }) => {
  await openDockerImage(app);
  await layers.rowByCommand('rm -rf /root/example/').click();
  await tree.mode('layerOnly');
  await tree.expandAll();
  const row = tree.row('root/example');
  await expect(row).toHaveAttribute('data-change', 'removed');
  await row.click();
  await expect(app.detailsPath()).toHaveText('/root/example');
  await expect(app.detailsHistory(), 'the history names the removal').toContainText('removed');
});

test('filters narrow the tree', async ({ app, layers, tree }) => {
  await openDockerImage(app);
  // Up to layer 6 /root/example still holds somefile1-3 (layer 9 removes it).
  await layers.select(6);
  await tree.mode('upTo');
  await tree.setFilter('somefile');
  // Every row either matches or leads to a match, and the matches are expanded into view (the
  // rows come from the engine: the poll waits for them).
  await expect.poll(async () => {
    const paths = await tree.paths();
    return {
      strays: paths.filter((p) => !p.includes('somefile') && !paths.some((q) => q.startsWith(p + '/'))),
      somefile1: paths.includes('root/example/somefile1.txt'),
    };
  }, { message: 'only rows matching somefile and their directories' }).toEqual({ strays: [], somefile1: true });

  await tree.setFilter('somefile[12]\\.txt$', true);
  await expect.poll(async () => {
    const paths = await tree.paths();
    return {
      strays: paths.filter((p) => /somefile3|^somefile\.txt/.test(p)),
      somefile1: paths.includes('root/example/somefile1.txt'),
      somefile2: paths.includes('root/example/somefile2.txt'),
    };
  }, { message: 'the regex keeps somefile1 and somefile2' }).toEqual({ strays: [], somefile1: true, somefile2: true });

  // A minimum size hides the small files.
  await tree.setFilter('');
  await tree.setMinSize(1_000_000);
  await expect(tree.row('somefile.txt'), 'small files hidden').toHaveCount(0);
  await expect(tree.row('bin'), '/bin (1.15 MB) stays').toBeVisible();
  await tree.setMinSize(0);
  await tree.setFilter('');

  // Toggling a change kind hides it: in the rm -rf layer, hiding 'removed' hides /root/example.
  await layers.rowByCommand('rm -rf /root/example/').click();
  await tree.mode('layerOnly');
  await tree.expandAll();
  await expect(tree.row('root/example')).toBeVisible();
  await tree.toggle('removed');
  await expect(tree.row('root/example')).toHaveCount(0);
  await tree.toggle('removed');
  await expect(tree.row('root/example')).toBeVisible();
});

test('the keyboard walks the layers and the tree', async ({ app, page, layers, tree }) => {
  await openDockerImage(app);
  await layers.focus();
  await page.keyboard.press('ArrowDown');
  await expect(layers.selected(), 'ArrowDown selects the layer below').toHaveAttribute('data-layer-index', '12');
  await page.keyboard.press('ArrowUp');
  await expect(layers.selected(), 'ArrowUp selects the layer above').toHaveAttribute('data-layer-index', '13');

  await tree.mode('final');
  await tree.collapseAll();
  await expect(tree.rows().first()).toBeVisible();
  await tree.focus();
  await page.keyboard.press('ArrowDown');
  await expect(tree.selected(), 'a selected row').toHaveAttribute('data-path', /./);
  const first = await tree.selected().getAttribute('data-path');
  await page.keyboard.press('ArrowDown');
  await expect(tree.selected(), 'ArrowDown moves the selection').not.toHaveAttribute('data-path', first!);

  await tree.row('root').click();
  const before = await tree.rows().count();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => tree.rows().count(), { message: 'ArrowRight expands /root' }).toBeGreaterThan(before);
  await page.keyboard.press('Space');
  await expect(tree.rows(), 'Space collapses /root').toHaveCount(before);
  await page.keyboard.press('/');
  await expect(tree.filter(), '/ focuses the filter').toBeFocused();
});

test('every dive image opens', async ({ app, layers, tree }) => {
  diveImage('test-docker-image.tar');
  const files = readdirSync(diveDir).filter((f) => f.endsWith('.tar')).sort();
  test.skip(files.length === 0, `no .tar files in ${diveDir}`);
  await app.goto();
  for (const f of files) {
    await test.step(f, async () => {
      await app.open(path.join(diveDir, f));
      await expect(app.fileName()).toHaveText(f);
      await app.waitLoaded();
      await expect(layers.rows(), 'at least one layer').not.toHaveCount(0);
      await expect(app.errorBanners()).toHaveCount(0);
      await tree.mode('final');
      await expect(tree.rows().first()).toBeVisible();
    });
  }
});

test('the report download is the command line\'s JSON', async ({ app }) => {
  await openDockerImage(app);
  await app.showImagePane();
  const download = await app.downloadReport();
  expect(download.suggestedFilename()).toMatch(/\.json$/);
  const text = JSON.stringify(JSON.parse(readFileSync(await download.path(), 'utf8')));
  expect(text, 'dive\'s figures in the report').toContain('efficiencyScore');
  expect(text, 'dive\'s figures in the report').toContain('0.98442');
});
