// Shared pieces of the e2e runner: skipping, assertions, waiting, fixture paths.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const diveFixtures = path.resolve(repoRoot, '../shared/fixtures/dive');

/** Thrown to skip a test, with the reason printed. */
export class Skip extends Error {}

export function diveFixture(name: string): string {
  const p = path.join(diveFixtures, name);
  if (!existsSync(p)) throw new Skip(`needs ${p} (dive's test images, ../shared/fixtures/dive); not present`);
  return p;
}

export function expect(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(`expected: ${message}`);
}

export function expectEqual<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/** Polls `fn` until it returns a truthy value or the time runs out. */
export async function waitFor<T>(fn: () => Promise<T> | T, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
