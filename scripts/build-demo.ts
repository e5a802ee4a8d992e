// Builds the demo archives into public/demo/ (gitignored; `npm run build` runs this first), the ML
// demo of src/testing/demo-ml.ts:
//   strata-ml.tar        docker save of strata-ml:v1 and v2, sharing layer directories (the demo)
//   strata-ml-v1.tar     docker save of v1 alone
//   manifest.json        what the app lists on its start screen, the demo first
// Run: npx tsx scripts/build-demo.ts [outDir]

import { createHash } from 'node:crypto';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ML_V1, ML_V2, writeDockerSave, type ImageSpec } from '../src/testing/index';

interface DemoEntry {
  file: string;
  title: string;
  description: string;
  format: 'docker-save';
  tags: string[];
  size: number;
  sha256: string;
}

const DEMOS: { file: string; title: string; description: string; images: ImageSpec[] }[] = [
  {
    file: 'strata-ml.tar',
    title: 'strata-ml:v1 + v2',
    description: 'Two versions of a PyTorch image in miniature, opened on why v1 is large: CUDA shipped twice, weights baked in, a pip cache, a deleted wheel still shipped.',
    images: [ML_V1, ML_V2],
  },
  {
    file: 'strata-ml-v1.tar',
    title: 'strata-ml:v1',
    description: 'v1 alone, a quicker load: the same "Why so large" without v2 beside it.',
    images: [ML_V1],
  },
];

async function main(): Promise<void> {
  const outDir = resolve(process.argv[2] ?? join(import.meta.dirname, '..', 'public', 'demo'));
  await mkdir(outDir, { recursive: true });
  // Archives of demos no longer built (the old strata-demo*.tar) would still be copied into dist/.
  for (const name of await readdir(outDir)) {
    if (/^strata-.*\.tar$/.test(name) && !DEMOS.some((d) => d.file === name)) await rm(join(outDir, name));
  }
  const entries: DemoEntry[] = [];
  for (const d of DEMOS) {
    const bytes = await writeDockerSave(d.images);
    await writeFile(join(outDir, d.file), bytes);
    entries.push({
      file: d.file,
      title: d.title,
      description: d.description,
      format: 'docker-save',
      tags: d.images.flatMap((i) => i.tags ?? []),
      size: bytes.byteLength,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    console.log(`${d.file}: ${(bytes.byteLength / 1024 / 1024).toFixed(2)} MiB`);
  }
  await writeFile(join(outDir, 'manifest.json'), `${JSON.stringify({ demos: entries }, null, 2)}\n`);
  console.log(`wrote ${entries.length} demo archives and manifest.json to ${outDir}`);
}

await main();
