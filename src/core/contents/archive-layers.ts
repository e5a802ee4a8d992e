// The bytes of an image's layers, by the layer numbers its views use, from a read archive: what
// the engine's session and the CLI's `--cat` hand readFileContent.

import type { ArchiveResult, LoadedImage } from '../pipeline/read-archive';
import type { LayerBytes } from './read-body';
import { gzipCheckpointsOf } from './gzip-checkpoints';

export function layerBytesOf(archive: ArchiveResult, image: LoadedImage): (layer: number) => LayerBytes | undefined {
  return (layer) => {
    const key = image.layers[layer]?.key;
    const source = key === undefined ? undefined : archive.sources?.get(key);
    const result = key === undefined ? undefined : archive.results.get(key);
    if (!source || !result) return undefined;
    return {
      source, compression: result.compression, ...(result.restarts ? { restarts: result.restarts } : {}),
      ...(result.estargz ? { estargz: true } : {}),
      // Kept beside the layer's result, so every read of this archive shares them.
      ...(result.compression === 'gzip' ? { checkpoints: gzipCheckpointsOf(result, source.size) } : {}),
    };
  };
}
