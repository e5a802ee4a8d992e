// Bundles the command line (src/cli/strata.ts) into dist-cli/ for the packed package: plain ESM
// for Node 20 with every dependency inlined (tar-stream, pako, yaml, and the WASM of zstddec and
// hash-wasm, which both ship their modules as inline base64), so `strata` needs no tsx, no
// TypeScript and no node_modules at run time. Run by `npm pack` (prepack).
// Run: npx tsx scripts/build-cli.ts [outDir]
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';

const outdir = resolve(process.argv[2] ?? 'dist-cli');
await rm(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: { strata: 'src/cli/strata.ts' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir,
  // Each command is its own chunk, loaded by `strata <command>` on demand.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies call require() for Node's built-ins; an ES module has none of its own.
  banner: { js: "import { createRequire as __strataRequire } from 'node:module'; const require = __strataRequire(import.meta.url);" },
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
});
const bytes = Object.values(result.metafile.outputs).reduce((s, o) => s + o.bytes, 0);
console.log(`bundled the CLI into ${outdir}: ${Object.keys(result.metafile.outputs).length} files, ${(bytes / 1e6).toFixed(2)} MB`);
