// Pulling by reference in the page, against real registries (Debian's docker-registry on loopback,
// seeded with skopeo by test/registry/fleet.ts: anonymous, htpasswd and token auth) through our
// server's proxy. The server is `src/server/main.ts --allow-registry http://127.0.0.1`, as a user
// would start it for registries on this machine. A pull must show the figures of the archive it
// was pushed from.
import { spawn, type ChildProcess } from 'node:child_process';
import { test as base, expect } from './test';
import { registryToolsMissing, PUSHER } from '../test/registry/harness';
import { startRegistryFleet, type RegistryFleet } from '../test/registry/fleet';
import { RegistryBox } from './pages/registry-box';

interface World { fleet: RegistryFleet; base: string }

const missing = [...new Set([...registryToolsMissing('token'), ...registryToolsMissing('basic')])];

/** Our server on a free port, proxying to loopback registries; resolves with its address. */
async function startServer(cwd: string): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', '--port', '0', '--allow-registry', 'http://127.0.0.1'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}): ${out.slice(0, 500)}`)));
  });
  return { child, base };
}

const test = base.extend<object, { world: World }>({
  world: [async ({}, use) => {
    const fleet = await startRegistryFleet();
    const server = await startServer(process.cwd()).catch(async (e: unknown) => { await fleet.stop(); throw e; });
    await use({ fleet, base: server.base });
    server.child.kill('SIGTERM');
    await fleet.stop();
  }, { scope: 'worker', timeout: 180_000 }],
  // Every page of this file is served by the proxying server.
  baseURL: async ({ world }, use) => use(world.base),
});

// One set of registries for the file: its tests share a worker.
test.describe.configure({ mode: 'default' });
test.skip(missing.length > 0, `${missing.join(', ')} not installed; scripts/ensure-tools.sh installs them`);

test('a pull shows the figures of the archive it was pushed from, and its link reopens it', async ({ app, layers, world, page }) => {
  await app.goto();
  await app.open(world.fleet.archives.appOci);
  await app.waitLoaded();
  await expect(layers.rows()).toHaveCount(3);
  const archiveRows = await layers.rows().allTextContents();
  const archiveSummary = await Promise.all((['efficiency', 'wasted', 'reclaimable', 'size'] as const).map((w) => app.summary(w).textContent().then((t) => t ?? '')));

  await app.goto();
  const box = new RegistryBox(page);
  await box.pull(`${world.fleet.anon.host}/app-oci:1`);
  await app.waitLoaded();
  await expect(layers.rows(), 'the same layer rows: steps, sizes, file counts, changes, verified').toHaveText(archiveRows);
  for (const [i, which] of (['efficiency', 'wasted', 'reclaimable', 'size'] as const).entries()) {
    await expect(app.summary(which), which).toHaveText(archiveSummary[i]!);
  }
  await expect(layers.rows().filter({ hasText: /(?<!un|not )verified/ }), 'every pulled layer verified').toHaveCount(3);
  await expect(app.fileName()).toHaveText(`${world.fleet.anon.host}/app-oci:1`);

  await expect(page).toHaveURL(new RegExp(`#ref=${world.fleet.anon.host}/app-oci:1$`));
  const link = page.url();
  await page.goto('about:blank');
  await page.goto(link);
  await app.waitLoaded();
  await expect(layers.rows(), 'the link opens the same image').toHaveText(archiveRows);
});

test('a registry that wants credentials asks for them, refuses wrong ones, and loads with the right ones', async ({ app, layers, world, page }) => {
  await app.goto();
  const box = new RegistryBox(page);
  await box.pull(`${world.fleet.basic.host}/private/app:1`);
  await expect(box.user()).toBeVisible();
  await box.logIn(PUSHER.username, 'wrong-password');
  await expect(box.error(), 'asked again').toHaveAttribute('data-code', 'unauthorized');
  await expect(box.user()).toBeVisible();
  await expect(page.locator('body')).not.toContainText('wrong-password');
  await box.logIn(PUSHER.username, PUSHER.password);
  await app.waitLoaded();
  await expect(layers.rows()).toHaveCount(3);
  expect(page.url(), 'no credential in the address').not.toContain(PUSHER.password);
});

test('a token registry hands out tokens for a private image to its user', async ({ app, layers, world, page }) => {
  await app.goto();
  const box = new RegistryBox(page);
  await box.pull(`${world.fleet.token.host}/private/app:1`);
  await expect(box.user()).toBeVisible();
  await box.logIn(PUSHER.username, PUSHER.password);
  await app.waitLoaded();
  await expect(layers.rows()).toHaveCount(3);
});

test('an index offers its platforms and pulls the one picked', async ({ app, layers, world, page }) => {
  await app.goto();
  const box = new RegistryBox(page);
  await box.pull(`${world.fleet.anon.host}/multi:1`);
  await app.waitLoaded();
  await expect(box.platform().locator('option')).toHaveText(['linux/amd64', 'linux/arm64/v8']);
  await expect(box.platform()).toHaveValue('linux/amd64');
  await box.platform().selectOption('linux/arm64/v8');
  await expect(layers.rows().filter({ hasText: 'RUN build --arch arm64' })).toHaveCount(1);
  await app.waitLoaded();
  await expect(page).toHaveURL(/platform=linux\/arm64\/v8/);
});

test('failures say what to do', async ({ app, world, page }) => {
  await app.goto();
  const box = new RegistryBox(page);
  await box.pull(`${world.fleet.anon.host}/app-oci:no-such-tag`);
  await expect(box.error()).toHaveAttribute('data-code', 'not-found');
  await expect(box.error()).toContainText('Check the repository name and the tag');
  await box.pull('Not A Reference');
  await expect(box.error()).toHaveAttribute('data-code', 'bad-reference');
  // A loopback address the server was not started to allow.
  await box.pull('127.0.0.2:1/app:1');
  await expect(box.error()).toHaveAttribute('data-code', 'unreachable');
  await expect(box.error()).toContainText('--allow-registry 127.0.0.2:1');
});
