// Our own fixtures (src/testing): formats, two images in one archive, and a broken archive.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, expectEqual, waitFor } from './harness';
import { ownFixtures } from './fixtures';
import type { StrataPage } from './pages/strata-page';

export async function twoImagesShareTheirBaseAndBranch(app: StrataPage) {
  const f = await ownFixtures();
  await app.goto();
  await app.open(f.dockerSaveTwo);
  await app.waitLoaded();
  // 3 shared layers drawn once, then one app layer per image.
  expectEqual(await app.layers.rows().count(), 5, 'layer rows');
  expectEqual(await app.page.locator('[data-testid="layers.row"].is-shared').count(), 3, 'shared layers');
  expectEqual(await app.page.getByTestId('layers.writable').count(), 2, 'writable layers');
}

export async function eachFormatOpens(app: StrataPage) {
  const f = await ownFixtures();
  await app.goto();
  for (const file of [f.oci, f.kaniko, f.dockerOci, f.gzipped]) {
    await app.open(file);
    await waitFor(async () => file.endsWith((await app.page.getByTestId('app.file-name').textContent()) ?? '\0'), `${file} opening`);
    await app.waitLoaded();
    expectEqual(await app.layers.rows().count(), 4, `${file}: layers`);
    expectEqual(await app.errorBanner().count(), 0, `${file}: error banners`);
    await app.tree.mode('final');
    await app.tree.expandAll();
    await app.tree.row('/srv/app.py').waitFor();
    await app.tree.row('/opt/cache').waitFor({ state: 'detached' });
  }
}

export async function configValuesRenderAsText(app: StrataPage) {
  const f = await ownFixtures();
  await app.goto();
  await app.open(f.oci);
  await app.waitLoaded();
  await app.page.getByTestId('side.tab.image').click();
  await app.page.getByText('MODE=<b>not html</b>').waitFor();
  expectEqual(await app.page.locator('.image-pane b').count(), 0, 'no markup from the config');
}

export async function brokenArchiveShowsBannerAndKeepsTheRest(app: StrataPage) {
  const f = await ownFixtures();
  await app.goto();
  await app.open(f.broken);
  const banner = app.errorBanner().first();
  await banner.waitFor({ timeout: 30_000 });
  const text = (await banner.textContent()) ?? '';
  expect(text.includes('app-broken.tar'), `the banner names the file (got ${text})`);
  // What was read stays usable: the layers are drawn and can be selected.
  expectEqual(await app.layers.rows().count(), 4, 'layer rows');
  await app.layers.select(0);
  expectEqual(await app.layers.selectedIndex(), 0, 'selected layer');
}

export async function notAnArchiveSaysSoAndNamesTheFile(app: StrataPage) {
  const file = path.join(tmpdir(), `strata-e2e-notes-${process.pid}.txt`);
  writeFileSync(file, 'these are my notes, not a container image\n'.repeat(40));
  await app.goto();
  await app.open(file);
  const banner = app.errorBanner().first();
  await banner.waitFor();
  const text = (await banner.textContent()) ?? '';
  expect(text.includes(path.basename(file)), `the banner names the file (got ${text})`);
  // The page stays usable: another file can be opened.
  await app.open((await ownFixtures()).oci);
  await app.waitLoaded();
  expectEqual(await app.errorBanner().count(), 0, 'banners after opening a good file');
}

export async function ociLayoutFolderOpens(app: StrataPage) {
  const f = await ownFixtures();
  const dir = path.join(tmpdir(), `strata-e2e-layout-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xf', f.oci, '-C', dir]);
  await app.goto();
  // A folder picked with the folder picker (webkitdirectory) is read as an OCI image layout.
  await app.page.getByTestId('open.folder-input').setInputFiles(dir);
  await app.waitLoaded();
  expectEqual(await app.layers.rows().count(), 4, 'layer rows');
  expectEqual(await app.errorBanner().count(), 0, 'error banners');
  await app.tree.mode('final');
  await app.tree.expandAll();
  await app.tree.row('/srv/app.py').waitFor();
}
