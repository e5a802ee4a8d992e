// Compare mode on the ML demo (public/demo/strata-ml.tar: strata-ml:v1 and v2 in one archive),
// opened from the landing's "Compare v1 and v2". The figures are those `npm run compare --
// public/demo/strata-ml.tar --json` reports: the page and the CLI show the same.
import { demoImage, expect, saveScreen, test } from './test';

test('compare v1 and v2 of the ML demo: layers, pull bytes, packages, config', async ({ app, page }) => {
  demoImage('strata-ml.tar');
  await app.goto();
  await page.getByTestId('compare.demo').click();
  await expect(page.getByTestId('compare.a').locator('option:checked')).toHaveText('strata-ml:v1');
  await expect(page.getByTestId('compare.b').locator('option:checked')).toHaveText('strata-ml:v2');
  await expect(page).toHaveURL(/#compare=sha256%3A[0-9a-f]{64},sha256%3A[0-9a-f]{64}$/);

  const rows = page.getByTestId('compare.layers.row');
  await expect(rows).toHaveCount(9);
  expect(await rows.evaluateAll((r) => r.map((e) => e.getAttribute('data-relation'))))
    .toEqual(['shared', 'shared', 'shared', 'shared', 'changed', 'shared', 'changed', 'only-a', 'changed']);
  // CLI: "pull: B given A 25.0 MB (3 layers), A given B 38.0 MB (4 layers)".
  await expect(page.getByTestId('compare.pull.b')).toHaveText('25.0 MB · 3 layers');
  await expect(page.getByTestId('compare.pull.a')).toHaveText('38.0 MB · 4 layers');
  await expect(page.getByTestId('compare.files')).toHaveText('11 added · 9 removed · 9 changed · 0 metadata');
  // CLI: "rebuilt by this update: 3 layers, 25.0 MB stored (24.9 MB unpacked), from B's step RUN pip install … (layer 4) up".
  await expect(page.getByTestId('compare.rebuilt.total')).toHaveText('3 layers · 25.0 MB stored · 24.9 MB unpacked · 1 rebuilt layer came out identical');

  const numpy = page.locator('[data-testid="compare.packages.row"][data-name="numpy"]');
  await expect(numpy).toHaveAttribute('data-change', 'upgraded');
  await expect(numpy).toContainText('1.26.4');
  await expect(numpy).toContainText('2.0.0');
  const env = page.locator('[data-testid="compare.config.row"][data-field="Env.MODEL_DIR"]');
  await expect(env).toContainText('/models');
  await expect(env).toContainText('/data/models');

  // Only removed paths: the model file is among them; a click shows both sides.
  await page.getByTestId('compare.filter.added').uncheck();
  await page.getByTestId('compare.filter.changed').uncheck();
  await page.getByTestId('compare.filter.metadata').uncheck();
  // 24 of the 48 differing paths are removed: the 9 files and the directories above them.
  const paths = page.getByTestId('compare.paths.row');
  await expect(paths).toHaveCount(24);
  await expect(page.getByText('(24 of 48)')).toBeVisible();
  expect(await paths.evaluateAll((r) => r.every((e) => e.classList.contains('c-removed')))).toBe(true);
  await page.locator('[data-testid="compare.paths.row"][data-path="models/model.safetensors"]').click();
  await expect(page.getByTestId('compare.path.details')).toContainText('absent');
  await expect(page.getByTestId('compare.path.details')).toContainText('11.5 MB');
  // A part of the path narrows them further: the removed model directory and its two files.
  await page.getByTestId('compare.filter.text').fill('/models');
  await expect(page.getByText('(3 of 48)')).toBeVisible();
  expect(await paths.evaluateAll((r) => r.map((e) => e.getAttribute('data-path')))).toEqual(['models', 'models/config.json', 'models/model.safetensors']);
  await page.getByTestId('compare.filter.text').fill('');
  await expect(paths).toHaveCount(24);

  // Swapping the pair swaps the pull figures.
  await page.getByTestId('compare.swap').click();
  await expect(page.getByTestId('compare.pull.b')).toHaveText('38.0 MB · 4 layers');
  await saveScreen(app, 'compare');
});
