// The opening page.
import { expect, expectEqual } from './harness';
import type { StrataPage } from './pages/strata-page';

export async function landingOffersEveryWayIn(app: StrataPage) {
  await app.goto();
  await app.page.getByTestId('open.demo').waitFor();
  expectEqual(await app.page.getByTestId('open.file-input').getAttribute('multiple'), '', 'file input takes several files');
  expect(await app.page.getByTestId('open.registry').isEnabled(), 'registry box takes a reference');
  expect(await app.page.getByTestId('open.registry.pull').isDisabled(), 'Pull waits for a reference');
}

export async function demoOpensBothImagesAtOnce(app: StrataPage) {
  await app.goto();
  await app.openDemo();
  await app.waitLoaded();
  expect((await app.page.locator('[data-testid="layers.row"].is-shared').count()) > 0, 'shared layers highlighted');
  expectEqual(await app.page.getByTestId('layers.writable').count(), 2, 'two images, two writable layers');
  await app.tree.rows().first().waitFor();
}

export async function droppingAFileOpensIt(app: StrataPage) {
  await app.goto();
  const dataTransfer = await app.page.evaluateHandle(async () => {
    const blob = await (await fetch('demo/strata-demo-v1.tar')).blob();
    const dt = new DataTransfer();
    dt.items.add(new File([blob], 'dropped-v1.tar'));
    return dt;
  });
  await app.page.getByTestId('open.dropzone').dispatchEvent('dragover', { dataTransfer });
  await app.page.getByTestId('open.dropzone').dispatchEvent('drop', { dataTransfer });
  await app.waitLoaded();
  expectEqual(await app.page.getByTestId('app.file-name').textContent(), 'dropped-v1.tar', 'file name in the top bar');
  expectEqual(await app.page.getByTestId('layers.writable').count(), 1, 'one image');
}

export async function startPageAtDemoOpensTheDemo(app: StrataPage) {
  // `npm start` opens the app at #demo: the demo must be open and explorable without a click.
  await app.page.goto(`${app.baseUrl}?test#demo`);
  await app.page.getByTestId('layers.row').first().waitFor();
  expect((await app.page.getByTestId('layers.row').count()) > 0, 'layer rows drawn');
  await app.page.getByTestId('tree.row').first().waitFor();
}

export async function skippingDigestChecksShowsLayersUnverified(app: StrataPage) {
  // A user who only browses can skip sha256: layers then say so instead of "verified".
  await app.goto();
  await app.page.getByTestId('open.verify').uncheck();
  await app.openDemo();
  await app.waitLoaded();
  const text = (await app.page.getByTestId('layers.row').allTextContents()).join(' ');
  expect(!/verified/.test(text.replace(/unverified|not verified/g, '')), `no layer claims to be verified (got ${text.slice(0, 200)})`);
}
