// Builds the demo archives into public/demo/ (gitignored; `npm run build` runs this first):
//   strata-demo-v1.tar, strata-demo-v2.tar   docker save of one image each
//   strata-demo.tar                          docker save of both, sharing layer directories
//   strata-ml-v1.tar, strata-ml.tar          the ML demo (src/testing/demo-ml.ts): v1 alone, v1 + v2
//   manifest.json                            what the app lists on its start screen
// Run: npx tsx scripts/build-demo.ts [outDir]

import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DEMO_V1, DEMO_V2, ML_V1, ML_V2, writeDockerSave, type ImageSpec } from '../src/testing/index';

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
    file: 'strata-demo-v1.tar',
    title: 'strata-demo:v1',
    description: 'A small Python web app on a slim Debian base: packages, pip caches, whiteouts, duplicates.',
    images: [DEMO_V1],
  },
  {
    file: 'strata-demo-v2.tar',
    title: 'strata-demo:v2',
    description: 'The next version: same base and runtime layers, a newer requests, a changed app.',
    images: [DEMO_V2],
  },
  {
    file: 'strata-demo.tar',
    title: 'strata-demo:v1 + v2',
    description: 'Both versions in one docker save archive, sharing their common layers: compare them.',
    images: [DEMO_V1, DEMO_V2],
  },
  {
    file: 'strata-ml-v1.tar',
    title: 'strata-ml:v1 (PyTorch)',
    description: 'Why a PyTorch image is large: CUDA shipped twice (pip\'s nvidia wheels beside the system CUDA), baked-in weights, a pip cache, a deleted wheel still shipped.',
    images: [ML_V1],
  },
  {
    file: 'strata-ml.tar',
    title: 'strata-ml:v1 + v2 (PyTorch)',
    description: 'What v2 of the PyTorch image changed: numpy upgraded, safetensors added, no pip cache, weights moved to a volume, a new Cmd and port.',
    images: [ML_V1, ML_V2],
  },
];

async function main(): Promise<void> {
  const outDir = resolve(process.argv[2] ?? join(import.meta.dirname, '..', 'public', 'demo'));
  await mkdir(outDir, { recursive: true });
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
