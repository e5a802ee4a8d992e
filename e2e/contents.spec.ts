// A file's contents (issue #15) in the ML demo (public/demo/strata-ml-v1.tar and strata-ml.tar,
// built from src/testing/demo-ml.ts): a text file with its lines and SHA-256, an ELF library and a
// .pyc as hex, the PNG drawn, a symlink followed, a download and a directory's tar checked byte
// for byte, and compare mode's line diff of /app/serve.py between v1 and v2. Expected contents are
// those the fixture writer puts in the images, written out here.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { listVerbose } from '../src/testing/gnu-tar';
import { noise, writeOciLayout } from '../src/testing/index';
import { demoImage, expect, saveScreen, test } from './test';

const SITE = 'usr/local/lib/python3.12/site-packages';
const SERVE_V1 = 'import os\n\nimport torch\n\nfrom model import load\n\nMODEL_DIR = os.environ.get("MODEL_DIR", "/models")\n\n\n'
  + 'def main():\n    model = load(MODEL_DIR, device="cuda" if torch.cuda.is_available() else "cpu")\n'
  + '    print("strata-ml 1.0.0 serving on", 8000, model)\n\n\nif __name__ == "__main__":\n    main()\n';

// One load of the image for every step: a 55 MB demo is slow to read on a shared machine.
test('a text file, an ELF library, a .pyc and a PNG; a symlink followed; a file and a directory saved', { tag: '@looks' }, async ({ app, tree, contents }) => {
  test.setTimeout(180_000);
  const image = demoImage('strata-ml-v1.tar');
  await app.goto();
  await app.open(image);
  await app.waitLoaded(60_000);
  await tree.mode('final');

  await test.step('a text file shows its lines, type and SHA-256', async () => {
    await tree.setFilter('etc/os-release');
    await tree.row('etc/os-release').click();
    await expect(contents.type()).toHaveText('text');
    await expect(contents.sha256()).toHaveText('59a77b5f2666d9c85c489bd1911a6eebbd91ef22fe48b90a3b75f1b21f3844d4');
    // The base layer of a docker save is an uncompressed tar: one range read.
    await expect(contents.how()).toContainText('one range read of its layer (layer 0)');
    await expect(contents.lines().nth(0)).toHaveText('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"');
    await expect(contents.lines().nth(1)).toHaveText('NAME="Debian GNU/Linux"');
    await expect(contents.lines().nth(5)).toHaveText('ID=debian');
    await expect(contents.lines()).toHaveCount(9);
    await saveScreen(app, 'contents-text');
  });

  await test.step('an ELF library and a .pyc show as hex', async () => {
    await tree.setFilter('torch/lib/libc10.so');
    await tree.row(`${SITE}/torch/lib/libc10.so`).click();
    await expect(contents.type()).toHaveText('ELF (executable or shared library)');
    await expect(contents.hexRows().first()).toHaveText('7f 45 4c 46 02 01 01 00  00 00 00 00 00 00 00 00');
    await expect(contents.section()).toContainText('Showing 4.10 kB of 30.7 kB');

    await tree.setFilter('torch/__pycache__/__init__.cpython-312.pyc');
    await tree.row(`${SITE}/torch/__pycache__/__init__.cpython-312.pyc`).click();
    await expect(contents.type()).toHaveText('Python bytecode (.pyc)');
    await expect(contents.hexRows().first()).toHaveText('cb 0d 0d 0a 00 00 00 00  00 00 00 00 00 00 00 00');
  });

  await test.step('a PNG is drawn', async () => {
    await tree.setFilter('app/static/logo.png');
    await tree.row('app/static/logo.png').click();
    await expect(contents.type()).toHaveText('PNG image');
    await expect(contents.imageSize()).toHaveText('16 × 16 pixels');
    await expect(contents.image()).toHaveAttribute('src', /^blob:/);
  });

  await test.step('a symlink shows its target and a click follows it', async () => {
    await tree.setFilter('usr/local/cuda');
    await tree.row('usr/local/cuda').click();
    await expect(contents.symlink()).toContainText('Symlink to cuda-12.4.');
    await contents.follow();
    await expect(app.detailsPath()).toHaveText('/usr/local/cuda-12.4');
  });

  await test.step('Download saves a file and Save as tar a directory, byte for byte', async () => {
    await tree.setFilter('app/serve.py');
    await tree.row('app/serve.py').click();
    await expect(contents.type()).toHaveText('text');
    const file = await contents.save('download');
    expect(file.suggestedFilename()).toBe('serve.py');
    expect(readFileSync((await file.path())!, 'utf8')).toBe(SERVE_V1);

    await tree.row('app').click();
    const tar = await contents.save('save-tar');
    expect(tar.suggestedFilename()).toBe('app.tar');
    expect(listVerbose(readFileSync((await tar.path())!)).map((e) => `${e.kind}${e.perms} ${e.size} ${e.name}`)).toEqual([
      'drwxr-xr-x 0 app/',
      '-rw-r--r-- 1973 app/model.py',
      '-rw-r--r-- 27 app/requirements.txt',
      '-rwxr-xr-x 290 app/serve.py',
      'drwxr-xr-x 0 app/static/',
      '-rw-r--r-- 97 app/static/logo.png',
    ]);
  });
});

test('compare mode shows a line diff of a changed text file', { tag: '@looks' }, async ({ app, page, contents }) => {
  test.setTimeout(180_000);
  demoImage('strata-ml.tar');
  await app.goto();
  await page.getByTestId('compare.demo').click();
  for (const k of ['added', 'removed', 'metadata']) await page.getByTestId(`compare.filter.${k}`).uncheck();
  await page.locator('[data-testid="compare.paths.row"][data-path="app/serve.py"]').click();
  await expect(contents.diffSummary()).toHaveText('1 line added, 1 line removed.');
  // Three lines of context around the change; the rest folded into gaps.
  expect(await contents.diffLines()).toEqual([
    ' ',
    ' def main():',
    '     model = load(MODEL_DIR, device="cuda" if torch.cuda.is_available() else "cpu")',
    '-    print("strata-ml 1.0.0 serving on", 8000, model)',
    '+    print("strata-ml 2.0.0 serving on", 8080, model)',
    ' ',
    ' ',
    ' if __name__ == "__main__":',
  ]);
  await contents.diff().scrollIntoViewIfNeeded();
  await saveScreen(app, 'contents-diff');
});

// A tiny OCI layout (gzip layers): a hard link, and a file the second layer removes.
test('a hard link shows its target\'s bytes; a removed file its copy below; gzip layers are read', async ({ app, tree, layers, contents, scratchDir }) => {
  const file = path.join(scratchDir, 'contents-links.tar');
  writeFileSync(file, await writeOciLayout([{
    tags: ['e2e/contents:1'],
    layers: [
      { createdBy: 'ADD base.tar /', files: [
        { path: 'etc/motd', content: 'hello from layer 0\n' },
        { path: 'etc/motd.hard', type: 'hardlink', linkname: 'etc/motd' },
        { path: 'etc/old.conf', content: 'old=1\n' },
      ] },
      // OCI image-spec layer.md "Whiteouts": .wh.old.conf removes etc/old.conf.
      { createdBy: 'RUN rm /etc/old.conf', files: [{ path: 'etc/.wh.old.conf' }] },
    ],
  }]));
  await app.goto();
  await app.open(file);
  await app.waitLoaded();

  await tree.mode('final');
  await tree.setFilter('etc/motd.hard');
  await tree.row('etc/motd.hard').click();
  await expect(contents.section().getByTestId('contents.hardlink')).toHaveText('Hard link to /etc/motd: the same bytes.');
  await expect(contents.lines()).toHaveText(['hello from layer 0']);
  await expect(contents.how()).toContainText('(layer 0)');

  await layers.select(1);
  await tree.mode('layerOnly');
  await tree.setFilter('');
  await tree.expandAll();
  await tree.row('etc/old.conf').click();
  await expect(contents.section().getByTestId('contents.removed')).toHaveText('Removed by layer 1. Showing the copy from layer 0 below it.');
  await expect(contents.lines()).toHaveText(['old=1']);
});

// One gzip stream of a few MB (issue #15): the first file read past its start decodes the layer
// from there and records deflate checkpoints; the next file read restarts at one (zlib's zran).
test('a single-stream gzip layer: the first read decodes from the start, the next restarts at a checkpoint', async ({ app, tree, contents, scratchDir }) => {
  const file = path.join(scratchDir, 'contents-zran.tar');
  writeFileSync(file, await writeOciLayout([{
    tags: ['e2e/zran:1'],
    layers: [{ createdBy: 'ADD big.tar /', compression: 'gzip', files: [
      { path: 'etc/first.txt', content: 'at the start\n' },
      { path: 'opt/noise.bin', content: noise(3 << 20, 5) },
      { path: 'zz/a.txt', content: 'near the end\n' },
      { path: 'zz/b.txt', content: 'at the very end\n' },
    ] }],
  }]));
  await app.goto();
  await app.open(file);
  await app.waitLoaded();
  await tree.mode('final');
  await tree.setFilter('zz/a.txt');
  await tree.row('zz/a.txt').click();
  await expect(contents.lines()).toHaveText(['near the end']);
  await expect(contents.how()).toContainText('decoding its layer from the start (layer 0)');
  await tree.setFilter('zz/b.txt');
  await tree.row('zz/b.txt').click();
  await expect(contents.lines()).toHaveText(['at the very end']);
  await expect(contents.how()).toContainText('restarting its gzip layer at a checkpoint recorded by an earlier read (layer 0)');
  await expect(contents.how()).toContainText('whole file matches the hash of the first pass');
});
