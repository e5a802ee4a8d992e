// Screenshots for people to look at (test-results/screens/), in light and dark. They assert only
// that the page got there; the looking is done by a person.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { diveFixture, repoRoot } from './harness';
import type { StrataPage } from './pages/strata-page';

const dir = path.join(repoRoot, 'test-results', 'screens');

async function both(app: StrataPage, name: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await app.setScheme(scheme);
    await app.screenshot(path.join(dir, `${name}-${scheme}.png`));
  }
}

export async function landingScreens(app: StrataPage) {
  await app.goto();
  await app.page.getByTestId('open.demo').waitFor();
  await both(app, 'landing');
}

export async function demoScreens(app: StrataPage) {
  await app.goto();
  await app.openDemo();
  await app.waitLoaded();
  await app.page.locator('[data-testid="tree.row"], .tree-empty').first().waitFor();
  await both(app, 'demo');
  await app.page.getByTestId('side.tab.image').click();
  await both(app, 'demo-image');
}

export async function diveScreens(app: StrataPage) {
  const file = diveFixture('test-docker-image.tar');
  await app.goto();
  await app.open(file);
  await app.waitLoaded();
  await app.layers.rowByCommand('rm -rf /root/example/').click();
  await app.tree.expandAll();
  await app.page.locator('[data-testid="tree.row"], .tree-empty').first().waitFor();
  if (await app.tree.rows().count() > 1) await app.tree.rows().nth(1).click();
  await both(app, 'dive');
}
