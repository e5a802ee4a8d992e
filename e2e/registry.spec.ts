// Pulling by reference in the page, against real registries (Debian's docker-registry on loopback,
// seeded with skopeo by test/registry/fleet.ts) through our server's proxy, started here with the
// built app and `--allow-registry http://127.0.0.1` (the registries and the token service are on
// loopback). The figures of a pull must be the figures of the archive it was pushed from.
import type { Server } from 'node:http';
import path from 'node:path';
import { createAppServer, listen } from '../src/server/app-server';
import { AllowList } from '../src/server/hop-policy';
import { ownHostNames } from '../src/server/proxy-request';
import { createRegistryProxy, PROXY_PREFIX } from '../src/server/registry-proxy';
import { registryToolsMissing } from '../test/registry/harness';
import { PUSHER } from '../test/registry/harness';
import { startRegistryFleet, type RegistryFleet } from '../test/registry/fleet';
import { expect, expectEqual, repoRoot, Skip, waitFor } from './harness';
import { StrataPage } from './pages/strata-page';

interface World { fleet: RegistryFleet; base: string; server: Server }

let world: Promise<World> | undefined;

/** The registries and a proxying server, started once for every test here and stopped at exit. */
function registryWorld(): Promise<World> {
  const missing = [...new Set([...registryToolsMissing('token'), ...registryToolsMissing('basic')])];
  if (missing.length) throw new Skip(`${missing.join(', ')} not installed; scripts/ensure-tools.sh installs them`);
  world ??= (async () => {
    const fleet = await startRegistryFleet();
    let port = 0;
    const proxy = createRegistryProxy({ allow: AllowList.parse(['http://127.0.0.1']), ownHosts: () => ownHostNames('127.0.0.1', port) });
    const server = createAppServer({ root: path.join(repoRoot, 'dist'), routes: [{ prefix: PROXY_PREFIX, handler: proxy.handler }] });
    port = await listen(server, 0);
    process.once('exit', () => {
      // The runner exits the process; the registries are child processes of ours.
      void fleet.stop();
      proxy.close();
    });
    return { fleet, server, base: `http://127.0.0.1:${port}/` };
  })();
  return world;
}

async function pull(app: StrataPage, reference: string): Promise<void> {
  await app.page.getByTestId('open.registry').fill(reference);
  await app.page.getByTestId('open.registry').press('Enter');
}

/** Each layer row as the user reads it: step, sizes, file counts, changes, verification. */
async function layerFigures(app: StrataPage): Promise<string[]> {
  return (await app.layers.rows().allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
}

async function summaryFigures(app: StrataPage): Promise<string[]> {
  return Promise.all((['efficiency', 'wasted', 'reclaimable', 'size'] as const).map((w) => app.summaryText(w)));
}

export async function registryPullShowsTheArchivesFigures(runner: StrataPage) {
  const w = await registryWorld();
  const app = new StrataPage(runner.page, w.base);
  await app.goto();
  await app.open(w.fleet.archives.appOci);
  await app.waitLoaded();
  const archiveLayers = await layerFigures(app);
  const archiveSummary = await summaryFigures(app);
  expectEqual(archiveLayers.length, 3, 'the archive has three layers');

  await app.goto();
  await pull(app, `${w.fleet.anon.host}/app-oci:1`);
  await app.waitLoaded();
  expectEqual(JSON.stringify(await layerFigures(app)), JSON.stringify(archiveLayers), 'layer rows (sizes, counts, verification) of the pull');
  expectEqual(JSON.stringify(await summaryFigures(app)), JSON.stringify(archiveSummary), 'efficiency, wasted, reclaimable and size of the pull');
  expect((await layerFigures(app)).every((r) => r.includes('verified')), 'every pulled layer verified against its digests');
  expectEqual(await app.page.getByTestId('app.file-name').textContent(), `${w.fleet.anon.host}/app-oci:1`, 'the reference in the top bar');

  // The address is a link that reopens the image.
  const url = app.page.url();
  expect(url.includes(`#ref=${w.fleet.anon.host}/app-oci:1`), `reference in the URL (${url})`);
  await app.page.goto('about:blank');
  await app.page.goto(url);
  await app.waitLoaded();
  expectEqual(JSON.stringify(await layerFigures(app)), JSON.stringify(archiveLayers), 'layer rows after reopening the link');
}

export async function registryBasicAuthAsksThenLoads(runner: StrataPage) {
  const w = await registryWorld();
  const app = new StrataPage(runner.page, w.base);
  await app.goto();
  await pull(app, `${w.fleet.basic.host}/private/app:1`);
  await app.page.getByTestId('open.registry.user').waitFor();
  await app.page.getByTestId('open.registry.user').fill(PUSHER.username);
  await app.page.getByTestId('open.registry.password').fill('wrong-password');
  await app.page.getByTestId('open.registry.password').press('Enter');
  // Refused: asked again, and the password typed is not shown back.
  await waitFor(async () => (await app.page.getByTestId('open.registry.error').getAttribute('data-code')) === 'unauthorized', 'asked again after wrong credentials');
  expect(!(await app.page.locator('body').innerText()).includes('wrong-password'), 'the password is never shown');
  await app.page.getByTestId('open.registry.user').fill(PUSHER.username);
  await app.page.getByTestId('open.registry.password').fill(PUSHER.password);
  await app.page.getByTestId('open.registry.login-submit').click();
  await app.waitLoaded();
  expectEqual(await app.layers.rows().count(), 3, 'three layers of the private image');
  expect(!app.page.url().includes(PUSHER.password), 'no credential in the URL');
}

export async function registryIndexOffersItsPlatforms(runner: StrataPage) {
  const w = await registryWorld();
  const app = new StrataPage(runner.page, w.base);
  await app.goto();
  await pull(app, `${w.fleet.anon.host}/multi:1`);
  await app.waitLoaded();
  const picker = app.page.getByTestId('open.registry.platform');
  await picker.waitFor();
  const options = await picker.locator('option').allTextContents();
  expectEqual(JSON.stringify(options), JSON.stringify(['linux/amd64', 'linux/arm64/v8']), 'the platforms of the index');
  expectEqual(await picker.inputValue(), 'linux/amd64', 'amd64 first');
  await picker.selectOption('linux/arm64/v8');
  await waitFor(async () => (await layerFigures(app)).some((r) => r.includes('RUN build --arch arm64')), 'the arm64 image');
  await app.waitLoaded();
  expect(app.page.url().includes('platform=linux/arm64/v8'), 'the platform in the URL');
}

export async function registryErrorsSayWhatToDo(runner: StrataPage) {
  const w = await registryWorld();
  const app = new StrataPage(runner.page, w.base);
  await app.goto();
  await pull(app, `${w.fleet.anon.host}/app-oci:no-such-tag`);
  const error = app.page.getByTestId('open.registry.error');
  await error.waitFor();
  expectEqual(await error.getAttribute('data-code'), 'not-found', 'a missing tag');
  expect((await error.innerText()).includes('Check the repository name and the tag'), 'what to do about it');
  await pull(app, 'Not A Reference');
  await waitFor(async () => (await error.getAttribute('data-code')) === 'bad-reference', 'a malformed reference');
  // A loopback registry the operator did not allow (another port than the fleet's).
  await pull(app, '127.0.0.2:1/app:1');
  await waitFor(async () => (await error.getAttribute('data-code')) === 'unreachable', 'a refused address');
  expect((await error.innerText()).includes('--allow-registry'), 'says which flag allows it');
}
