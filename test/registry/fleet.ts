// The three registries the registry tests use, started and seeded together (seed.ts says what each
// holds). For Vitest: startRegistryFleet() in beforeAll, stop() in afterAll. For a Playwright
// global setup: `export default playwrightRegistrySetup` in the setup file; it puts the hosts in
// process.env (STRATA_TEST_REGISTRY_ANON, _BASIC, _TOKEN) for the workers and returns the teardown.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registryToolsMissing, startRegistry, type RegistryServer } from './harness';
import { seedRegistry, writeArchives, type Archives } from './seed';

export interface RegistryFleet {
  anon: RegistryServer;
  basic: RegistryServer;
  token: RegistryServer;
  /** The archives pushed, for the figures of "the archive it was pushed from". */
  archives: Archives;
  dir: string;
  stop(): Promise<void>;
}

/** Starts and seeds the three registries; pushes of extra archives can follow (`fleet.anon.push`). */
export async function startRegistryFleet(): Promise<RegistryFleet> {
  const dir = await mkdtemp(join(tmpdir(), 'strata-registry-fleet-'));
  const archives = await writeArchives(dir);
  const started = await Promise.allSettled([startRegistry(), startRegistry({ auth: 'basic' }), startRegistry({ auth: 'token' })]);
  const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const stop = async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) { await stop(); throw failed.reason; }
  const [anon, basic, token] = servers as [RegistryServer, RegistryServer, RegistryServer];
  try {
    await Promise.all([seedRegistry(anon, archives), seedRegistry(basic, archives), seedRegistry(token, archives)]);
  } catch (e) {
    await stop();
    throw e;
  }
  return { anon, basic, token, archives, dir, stop };
}

/** Playwright globalSetup: starts the fleet (or says why not) and returns its teardown. */
export async function playwrightRegistrySetup(): Promise<() => Promise<void>> {
  const missing = [...new Set([...registryToolsMissing('token'), ...registryToolsMissing('basic')])];
  if (missing.length) {
    process.env.STRATA_TEST_REGISTRY_SKIP = `${missing.join(', ')} not installed; scripts/ensure-tools.sh installs them`;
    return async () => undefined;
  }
  const fleet = await startRegistryFleet();
  process.env.STRATA_TEST_REGISTRY_ANON = fleet.anon.host;
  process.env.STRATA_TEST_REGISTRY_BASIC = fleet.basic.host;
  process.env.STRATA_TEST_REGISTRY_TOKEN = fleet.token.host;
  return fleet.stop;
}
