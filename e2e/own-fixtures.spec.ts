// Our own fixtures (src/testing, written by ./images.ts): formats, two images in one archive, and
// a broken archive.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from './test';

test('two images share their base and branch', async ({ app, layers, ownImages }) => {
  await app.goto();
  await app.open(ownImages.dockerSaveTwo);
  await app.waitLoaded();
  // 3 shared layers drawn once, then one app layer per image.
  await expect(layers.rows()).toHaveCount(5);
  await expect(layers.sharedRows()).toHaveCount(3);
  await expect(layers.writableRows()).toHaveCount(2);
});

test('each format opens', async ({ app, layers, tree, ownImages }) => {
  await app.goto();
  for (const file of [ownImages.oci, ownImages.kaniko, ownImages.dockerOci, ownImages.gzipped, ownImages.zstdWrapped, ownImages.zstdLayers]) {
    await test.step(path.basename(file), async () => {
      await app.open(file);
      await expect(app.fileName()).toHaveText(path.basename(file));
      await app.waitLoaded();
      await expect(layers.rows()).toHaveCount(4);
      await expect(app.errorBanners()).toHaveCount(0);
      await tree.mode('final');
      await tree.expandAll();
      await expect(tree.row('srv/app.py')).toBeVisible();
      await expect(tree.row('opt/cache'), 'the whiteout removed /opt/cache').toHaveCount(0);
    });
  }
});

test('config values render as text', async ({ app, ownImages }) => {
  await app.goto();
  await app.open(ownImages.oci);
  await app.waitLoaded();
  const pane = await app.showImagePane();
  await expect(pane.getByText('MODE=<b>not html</b>')).toBeVisible();
  await expect(pane.locator('b'), 'no markup from the config').toHaveCount(0);
});

test('a broken archive shows a banner and keeps the rest', async ({ app, layers, ownImages }) => {
  await app.goto();
  await app.open(ownImages.broken);
  const banner = app.errorBanners().first();
  await expect(banner).toBeVisible({ timeout: 30_000 });
  await expect(banner, 'the banner names the file').toContainText('app-broken.tar');
  // What was read stays usable: the layers are drawn and can be selected.
  await expect(layers.rows()).toHaveCount(4);
  await layers.select(0);
  await expect(layers.selected()).toHaveAttribute('data-layer-index', '0');
});

test('not an archive says so and names the file', async ({ app, ownImages }, testInfo) => {
  const file = testInfo.outputPath('my-notes.txt');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, 'these are my notes, not a container image\n'.repeat(40));
  await app.goto();
  await app.open(file);
  await expect(app.errorBanners().first(), 'the banner names the file').toContainText('my-notes.txt');
  // The page stays usable: another file can be opened.
  await app.open(ownImages.oci);
  await app.waitLoaded();
  await expect(app.errorBanners(), 'banners after opening a good file').toHaveCount(0);
});

test('an OCI layout folder opens', async ({ app, layers, tree, ownImages }, testInfo) => {
  const dir = testInfo.outputPath('layout');
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xf', ownImages.oci, '-C', dir]);
  await app.goto();
  // A folder picked with the folder picker (webkitdirectory) is read as an OCI image layout.
  await app.openFolder(dir);
  await app.waitLoaded();
  await expect(layers.rows()).toHaveCount(4);
  await expect(app.errorBanners()).toHaveCount(0);
  await tree.mode('final');
  await tree.expandAll();
  await expect(tree.row('srv/app.py')).toBeVisible();
});
