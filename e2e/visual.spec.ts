// Screenshots for people to look at (test-results/screens/<name>-<scheme>.png), taken in the light
// and the dark project. They assert only that the page got there; the looking is done by a person.
import { diveImage, expect, saveScreen, test } from './test';

test.describe('screens', { tag: '@looks' }, () => {
  test('landing', async ({ app }) => {
    await app.goto();
    await expect(app.demoButton()).toBeVisible();
    await saveScreen(app, 'landing');
  });

  test('demo', async ({ app, size, tree }) => {
    // What `npm start` shows first: v1's "Why so large" on its largest finding.
    test.slow();
    await app.goto();
    await app.openDemo();
    await app.waitDemoLoaded();
    await expect(size.selectedFinding()).toBeInViewport({ ratio: 1 });
    await saveScreen(app, 'demo');
    await size.showFiles();
    await expect(tree.drawn()).toBeVisible();
    await saveScreen(app, 'demo-files');
    await app.showImagePane();
    await saveScreen(app, 'demo-image');
  });

  test('dive', async ({ app, layers, tree }) => {
    const file = diveImage('test-docker-image.tar');
    await app.goto();
    await app.open(file);
    await app.waitLoaded();
    await layers.rowByCommand('rm -rf /root/example/').click();
    await tree.expandAll();
    await expect(tree.drawn()).toBeVisible();
    if ((await tree.rows().count()) > 1) await tree.rows().nth(1).click();
    await saveScreen(app, 'dive');
  });
});
