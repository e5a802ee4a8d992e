// Images for the findings tests, analysed the way the CLI and the engine do it (`analyseImage`):
// real LayerIndexes (merge/test-layers.ts lines, real sizes without real bytes), the real merge,
// package databases captured by the indexer's own `shouldCapture` and read by the real attribution.

import { analyseImage, type ImageAnalysisResult } from '../analysis/analyse-image';
import type { ImageConfigView, IndexedLayer, LayerRecord } from '../image/model';
import { layer } from '../merge/test-layers';
import { shouldCapture } from '../packages/capture';
import type { LayerResult } from '../pipeline/index-layer';
import { toImageId, toLayerKey, type Digest } from '../types';

export interface Step {
  /** config.history created_by of the step. */
  command: string;
  /** merge/test-layers.ts lines: `f path size [#hash]`, `wh path`, `opq dir`, ... */
  lines?: string[];
  /** Files with content (package databases), written as regular files of their byte length. */
  texts?: Record<string, string>;
}

const encoder = new TextEncoder();
const NO_DIGEST = '' as Digest;

export function analyseSteps(steps: readonly Step[], config: Partial<ImageConfigView> = {}): ImageAnalysisResult {
  const results = new Map<string, LayerResult>();
  const layers: IndexedLayer[] = steps.map((s, index) => {
    const texts = Object.entries(s.texts ?? {}).map(([path, text]) => ({ path, bytes: encoder.encode(text) }));
    const entries = layer(...(s.lines ?? []), ...texts.map((t) => `f ${t.path} ${t.bytes.length}`));
    const key = toLayerKey(`layer-${index}`);
    const record: LayerRecord = { index, key, compression: 'none', compressedSize: 0, command: s.command, verification: 'unverifiable' };
    results.set(key, {
      entries, files: entries.count, compression: 'none', compressedSize: 0, uncompressedSize: 0,
      blobDigest: NO_DIGEST, diffId: NO_DIGEST, warnings: [], complete: true, hashed: false,
      captures: texts.filter((t) => shouldCapture(t.path, t.bytes.length)),
    });
    return { ...record, files: entries.count, entries };
  });
  const view: ImageConfigView = {
    env: [], cmd: null, entrypoint: null, workingDir: '', user: '', exposedPorts: [], volumes: [], labels: [], ...config,
  };
  const history = steps.map((s, i) => ({ createdBy: s.command, emptyLayer: false, layer: i }));
  return analyseImage({ record: { id: toImageId('test'), tags: [], config: view, history, layers }, layers }, results);
}

/** RECORD rows for `paths` (relative to site-packages), in the `path,sha256=...,size` shape pip writes. */
export function recordOf(paths: Record<string, number>): string {
  return Object.entries(paths).map(([p, size]) => `${p},sha256=x,${size}\n`).join('');
}
