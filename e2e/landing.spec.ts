// The opening page, and the demo it opens (public/demo/strata-ml.tar: strata-ml:v1 and v2, built by
// scripts/build-demo.ts from src/testing/demo-ml.ts).
import { expect, test } from './test';

test('the start page offers every way in, and says what each demo shows', async ({ app, page }) => {
  await app.goto();
  await expect(app.demoButton()).toHaveText('Open the demo (strata-ml:v1 + v2)');
  await expect(page.getByTestId('demo.about')).toHaveText('Two versions of a PyTorch image in miniature, opened on why v1 is large: CUDA shipped twice, weights baked in, a pip cache, a deleted wheel still shipped.');
  await expect(page.locator('.demo-more li')).toHaveText([
    'Compare v1 and v2What v2 changed: numpy upgraded, safetensors added, no pip cache, the weights in a volume, a new Cmd and port.',
    'strata-ml:v1v1 alone, a quicker load: the same "Why so large" without v2 beside it.',
  ]);
  await expect(app.fileInput(), 'the file input takes several files').toHaveAttribute('multiple', '');
  await expect(app.registryBox(), 'the registry box takes a reference').toBeEnabled();
  await expect(app.page.getByTestId('open.registry.pull'), 'Pull waits for a reference').toBeDisabled();
});

test('the demo opens both images on v1\'s "Why so large", its largest finding in view', async ({ app, layers, size, tree }) => {
  test.slow();
  await app.goto();
  await app.openDemo();
  await app.waitDemoLoaded();
  // The chain v1 and v2 share, drawn once: base, CUDA, python, the wheel COPY (the cleanup layer has
  // one diff_id in both, but comes after their pip layers diverge).
  await expect(layers.sharedRows(), 'shared layers highlighted').toHaveCount(4);
  await expect(layers.writableRows(), 'two images, two writable layers').toHaveCount(2);
  const largest = size.selectedFinding();
  await expect(largest).toHaveAttribute('data-kind', 'cuda-duplicate');
  // Scrolled to: the whole finding on screen, not just its head below the size map.
  await expect(largest).toBeInViewport({ ratio: 1 });
  await expect(size.findingBytes(largest)).toHaveText('15.4 MB');
  await expect(largest).toContainText('layer 4');
  await expect(size.findings().first(), 'the largest finding is the first').toHaveAttribute('aria-current', 'true');
  // The tree is one tab away.
  await size.showFiles();
  await expect(tree.rows().first()).toBeVisible();
});

test('dropping a file opens it', async ({ app, layers }) => {
  await app.goto();
  await app.drop('demo/strata-ml-v1.tar', 'dropped-v1.tar');
  await app.waitLoaded();
  await expect(app.fileName(), 'the file name in the top bar').toHaveText('dropped-v1.tar');
  await expect(layers.writableRows(), 'one image').toHaveCount(1);
});

test('the start page at #demo opens the demo on its largest finding', async ({ app, size }) => {
  // `npm start` opens the app at #demo: the demo must be open, on "Why so large", without a click.
  test.slow();
  await app.goto({ hash: 'demo' });
  await app.waitDemoLoaded();
  await expect(app.fileName()).toHaveText('strata-ml.tar');
  await expect(size.view()).toBeVisible();
  await expect(size.selectedFinding()).toHaveAttribute('data-kind', 'cuda-duplicate');
  await expect(size.selectedFinding()).toBeInViewport({ ratio: 1 });
  await expect(size.selectedFinding()).toContainText('CUDA shipped twice (wheels and system)');
  await expect(size.selectedFinding()).toContainText('/usr/local/lib/python3.12/site-packages/nvidia/cublas/lib/libcublasLt.so.12');
});

test('skipping digest checks shows layers unverified', async ({ app, layers }) => {
  // A user who only browses can skip sha256: layers then say so instead of "verified".
  await app.goto();
  await app.verifyDigests(false);
  await app.demoFileButton('strata-ml-v1').click();
  await app.waitLoaded();
  await expect(layers.rows().filter({ hasText: /(?<!un|not )verified/ }), 'no layer claims to be verified').toHaveCount(0);
});
