// What the ML demo shows about layer caching (issue #21), read as the app and the CLI read it: a
// real docker save archive through readArchive, analyseImage and compareImages.
//  - v1 copies 11.5 MB of weights (`COPY models/ /models/`) above the 2.3 kB `COPY app/ /app/`:
//    every code change rebuilds and re-ships the weights (large-after-code, a heuristic);
//  - `cuda-cudart-dev-12-4` puts CUDA headers and a static library in the image (cuda-devel,
//    named with its package);
//  - v1 -> v2 changes the pip install (layer 4): layers 4, 6 and 7 are rebuilt and re-shipped, the
//    cleanup layer 5 comes out identical.
import { describe, expect, it } from 'vitest';
import { analyseImage } from '../core/analysis/analyse-image';
import { compareImages, compareReport } from '../core/compare';
import { readArchive } from '../core/pipeline/read-archive';
import { ML_LAYER, ML_V1, ML_V2 } from './demo-ml';
import { writeDockerSave } from './docker-save';

describe('the ML demo, on layer caching', async () => {
  const r = await readArchive(new Blob([await writeDockerSave([ML_V1, ML_V2]) as BlobPart]), { name: 'strata-ml.tar' });
  const [v1, v2] = r.images.map((image, k) => ({ name: `strata-ml.tar#${k}`, image, analysis: analyseImage(image, r.results) }));

  it('v1: the weights are copied above the code, so every code change re-ships 11.5 MB', () => {
    const found = v1!.analysis.findings.filter((f) => f.rebuilt);
    expect(found).toEqual([{
      kind: 'large-after-code', bytes: 11_534_371, layer: ML_LAYER.models, files: 2,
      paths: ['models/model.safetensors', 'models/config.json'],
      step: 'COPY models/ /models/', codeLayer: ML_LAYER.app, codeStep: 'COPY app/ /app/', rebuilt: true, heuristic: true,
      fix: 'Heuristic: layer 7 (`COPY models/ /models/`) adds 11.5 MB above layer 6 (`COPY app/ /app/`), 2.39 kB of application code, '
        + 'and does not seem to use that code (none of its files is under /app). Every code change rebuilds and re-ships those 11.5 MB: '
        + 'move the step below the COPY of the code (what changes rarely belongs low), unless it does read the code.',
    }]);
    // v2 keeps its weights in a volume: nothing large above the code.
    expect(v2!.analysis.findings.filter((f) => f.rebuilt)).toEqual([]);
  });

  it('names the -dev package behind the CUDA development files', () => {
    const devel = v1!.analysis.findings.find((f) => f.kind === 'cuda-devel')!;
    expect([devel.layer, devel.bytes]).toEqual([ML_LAYER.cuda, 1_288_439]);
    expect(devel.fix).toContain('build FROM an `nvidia/cuda:*-devel` stage');
    expect(devel.fix).toContain('Here they come from `cuda-cudart-dev-12-4` (1.29 MB).');
  });

  it('v1 -> v2: the changed pip install rebuilds layers 4 to 7, and three of them are pushed and pulled again', () => {
    const { rebuilt, pull } = compareReport(compareImages(v1!, v2!));
    expect(rebuilt.firstChangedStep).toEqual({
      history: 9, layer: ML_LAYER.pip,
      command: 'RUN /bin/sh -c pip install --no-cache-dir /tmp/wheels/torch-2.4.0-cp312-cp312-linux_x86_64.whl numpy==2.0.0 safetensors==0.4.3 # buildkit',
    });
    expect(rebuilt.layers.map((l) => [l.index, l.sizeBytes, l.compressedSize])).toEqual([
      [4, 24_937_916, 24_994_816],
      [6, 2_405, 7_680], // serve.py and friends, and static/logo.png (97 bytes, a directory and a file header)
      [7, 290, 2_560],
    ]);
    expect(rebuilt).toMatchObject({ sizeBytes: 24_940_611, storedBytes: 25_005_056, unchangedLayers: 1 });
    // Nothing below the first changed step differs, so the update costs what a host holding v1 pulls.
    expect(pull.bytesForBGivenA).toBe(25_005_056);
  });
});
