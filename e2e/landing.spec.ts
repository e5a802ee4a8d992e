// The opening page.
import { expect, test } from './test';

test('the start page offers every way in', async ({ app }) => {
  await app.goto();
  await expect(app.demoButton()).toBeVisible();
  await expect(app.fileInput(), 'the file input takes several files').toHaveAttribute('multiple', '');
  await expect(app.registryBox(), 'the registry box takes a reference').toBeEnabled();
  await expect(app.page.getByTestId('open.registry.pull'), 'Pull waits for a reference').toBeDisabled();
});

test('the demo opens both images at once', async ({ app, layers, tree }) => {
  await app.goto();
  await app.openDemo();
  await app.waitLoaded();
  await expect(layers.sharedRows(), 'shared layers highlighted').not.toHaveCount(0);
  await expect(layers.writableRows(), 'two images, two writable layers').toHaveCount(2);
  await expect(tree.rows().first()).toBeVisible();
});

test('dropping a file opens it', async ({ app, layers }) => {
  await app.goto();
  await app.drop('demo/strata-demo-v1.tar', 'dropped-v1.tar');
  await app.waitLoaded();
  await expect(app.fileName(), 'the file name in the top bar').toHaveText('dropped-v1.tar');
  await expect(layers.writableRows(), 'one image').toHaveCount(1);
});

test('the start page at #demo opens the demo', async ({ app, layers, tree }) => {
  // `npm start` opens the app at #demo: the demo must be open and explorable without a click.
  await app.goto({ hash: 'demo' });
  await expect(layers.rows().first(), 'layer rows drawn').toBeVisible();
  await expect(tree.rows().first()).toBeVisible();
});

test('skipping digest checks shows layers unverified', async ({ app, layers }) => {
  // A user who only browses can skip sha256: layers then say so instead of "verified".
  await app.goto();
  await app.verifyDigests(false);
  await app.openDemo();
  await app.waitLoaded();
  await expect(layers.rows().filter({ hasText: /(?<!un|not )verified/ }), 'no layer claims to be verified').toHaveCount(0);
});
