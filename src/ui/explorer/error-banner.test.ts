// The banner names a warning's layer by the step of the image the warning is about.
import { describe, expect, it } from 'vitest';
import type { ArchiveSummary, ImageRecord } from '../../core/image/model';
import { toImageId, toLayerKey } from '../../core/types';
import { layerName } from './error-banner';

const image = (id: string, commands: string[]): ImageRecord => ({
  id: toImageId(id), tags: [], history: [],
  config: { env: [], cmd: null, entrypoint: null, workingDir: '', user: '', exposedPorts: [], volumes: [], labels: [] },
  layers: commands.map((command, index) => ({ index, key: toLayerKey(`${id}/${index}`), compression: 'none', compressedSize: 1, command, verification: 'unverifiable' })),
});
const summary: ArchiveSummary = {
  format: 'docker-save', outerCompression: 'none', otherPlatforms: [], attestations: 0, warnings: [],
  images: [image('a', ['ADD base /', '/bin/sh -c pip install torch']), image('b', ['ADD base /', '/bin/sh -c apt-get install gcc'])],
};

describe('error banner', () => {
  it("names the layer's step from the warning's own image", () => {
    expect(layerName(summary, 1, toImageId('b'))).toBe('layer 1 (RUN apt-get install gcc)');
    expect(layerName(summary, 1, toImageId('a'))).toBe('layer 1 (RUN pip install torch)');
  });

  it('falls back to the first image when the warning names none', () => {
    expect(layerName(summary, 1)).toBe('layer 1 (RUN pip install torch)');
    expect(layerName(summary, undefined)).toBeNull();
  });
});
