// What the load store makes of the engine's events: which panes must ask again, a layer's facts,
// a crashed worker, and which warnings are shown as damage.
import { beforeEach, describe, expect, it } from 'vitest';
import type { ArchiveSummary, ImageRecord, LayerRecord } from '../core/image/model';
import { toImageId, toLayerKey, type Warning } from '../core/types';
import type { ImageAnalysis } from '../workers/protocol';
import { applyEvent, dataVersionOf, layerFacts, severityOf, useLoadStore } from './load-store';

const A = toImageId('sha256:aa');
const B = toImageId('sha256:bb');
const layer = (key: string, index: number): LayerRecord => ({
  index, key: toLayerKey(key), compression: 'gzip', compressedSize: 700, uncompressedSize: 2048, command: 'RUN x', verification: 'unverifiable',
});
const record = (id: typeof A, layers: LayerRecord[]): ImageRecord => ({
  id, tags: [], history: [], layers,
  config: { env: [], cmd: null, entrypoint: null, workingDir: '', user: '', exposedPorts: [], volumes: [], labels: [] },
});
const summary: ArchiveSummary = {
  format: 'docker-save', outerCompression: 'none', otherPlatforms: [], attestations: 0, warnings: [],
  images: [record(A, [layer('k0', 0), layer('k1', 1)]), record(B, [layer('k0', 0)])],
};
const analysis = (imageId: typeof A): ImageAnalysis => ({
  imageId, reclaimableBytes: 0, layers: [],
  dive: { sizeBytes: 1, userSizeBytes: 0, inefficientBytes: 0, efficiencyScore: 1, userWastedPercent: 0 },
});

beforeEach(() => {
  useLoadStore.setState({ status: 'starting', loadId: 7, summary: null, layers: {}, analyses: {}, errors: [], imageVersions: {}, loadVersion: 0 });
  applyEvent({ type: 'summary', loadId: 7, summary });
});

describe('load store', () => {
  it('a layer event changes no pane\'s data version; an analysis changes only its image\'s', () => {
    const s0 = useLoadStore.getState();
    applyEvent({ type: 'layer', loadId: 7, key: toLayerKey('k1'), files: 3, uncompressedSize: 4096, verification: 'verified' });
    const s1 = useLoadStore.getState();
    expect([dataVersionOf(s1, A), dataVersionOf(s1, B)]).toEqual([dataVersionOf(s0, A), dataVersionOf(s0, B)]);
    applyEvent({ type: 'analysis', loadId: 7, analysis: analysis(A) });
    const s2 = useLoadStore.getState();
    expect(dataVersionOf(s2, A)).not.toBe(dataVersionOf(s1, A));
    expect(dataVersionOf(s2, B)).toBe(dataVersionOf(s1, B));
  });

  it("a layer's facts: the summary's record until its layer event, then the event's", () => {
    const k1 = summary.images[0]!.layers[1]!;
    expect(layerFacts(useLoadStore.getState().layers, k1)).toMatchObject({ uncompressedSize: 2048, files: undefined, verification: undefined, indexed: false });
    applyEvent({ type: 'layer', loadId: 7, key: toLayerKey('k1'), files: 3, uncompressedSize: 4096, verification: 'mismatch' });
    expect(layerFacts(useLoadStore.getState().layers, k1)).toMatchObject({ uncompressedSize: 4096, files: 3, verification: 'mismatch', indexed: true });
  });

  it('a crashed worker ends the load with an error; what was read stays', () => {
    applyEvent({ type: 'crashed', message: 'out of memory' });
    const s = useLoadStore.getState();
    expect(s.status).toBe('done');
    expect(s.summary?.images.length).toBe(2);
    expect(s.errors).toEqual([{ message: 'engine failed: out of memory', fatal: true }]);
  });

  it('events of an earlier load are ignored', () => {
    applyEvent({ type: 'analysis', loadId: 6, analysis: analysis(B) });
    expect(useLoadStore.getState().analyses).toEqual({});
  });

  it('warnings are damage or notes as core says', () => {
    const w = (code: Warning['code']): Warning => ({ code, message: '' });
    expect(['digest-mismatch', 'tar-truncated', 'gzip-truncated', 'plain-tar', 'dpkg-status'].map((c) => severityOf(w(c as Warning['code']))))
      .toEqual(['damage', 'damage', 'damage', 'note', 'note']);
  });
});
