// The load the page sees, driven in Node with the in-process runner: the events in order, ids
// unique across dropped files, a layer shared by two files read once, the quick result replaced by
// the full one, a bad file reported by name while the rest loads, cancel and replace.
import { describe, expect, it, vi } from 'vitest';
import { runInProcess, type LayerRunner } from '../core/pipeline/read-archive';
import { toImageId, type ImageId } from '../core/types';
import type { ByteSource, ImageSource } from '../core/source/types';
import type { View } from '../core/views/types';
import { TarImageSource } from '../core/source/archive-source';
import { BlobByteSource } from '../core/source/blob-source';
import { buildImage, flipByte, writeDockerSave, writeOciLayout, type ImageSpec, type LayerSpec } from '../testing';
import { Loader, type LoaderOptions } from './loader';
import type { EngineEvent } from './protocol';

const base: LayerSpec = { createdBy: 'ADD base /', files: [{ path: 'etc/os-release', content: 'ID=debian\n' }] };
const app: LayerSpec = { createdBy: 'COPY app /app', files: [{ path: 'app/main.py', content: 'print("hi")\n' }] };
const tagged: ImageSpec = { tags: ['app:1'], layers: [base, app] };
const untagged: ImageSpec = { tags: [], layers: [base, { ...app, createdBy: 'COPY other /app' }] };

const source = (bytes: Uint8Array, name: string) => new TarImageSource(new BlobByteSource(new Blob([bytes as BlobPart])), name);
const configDigest = async (spec: ImageSpec) => (await buildImage({ ...spec, mediaTypes: 'docker' }, 'none', 'none')).configDigest;

function recorder(opts: LoaderOptions = {}) {
  const events: EngineEvent[] = [];
  const indexed: string[] = [];
  const runLayer: LayerRunner = (job, onProgress, signal) => { indexed.push(job.key); return runInProcess(job, onProgress, signal); };
  const loader = new Loader((e) => events.push(e), { runLayer, ...opts });
  // Without progress, and without the prefix a quick pass may show before its last layer is in
  // (whether it does depends on which layer's headers come in first: its own test is below).
  const types = () => events.filter((e) => e.type !== 'progress' && !(e.type === 'analysis' && e.analysis.partial)).map((e) => e.type);
  return { loader, events, indexed, types };
}

describe('Loader', () => {
  it('two files holding the same image: ids a and a#2, the shared layers read once, done last', async () => {
    const { loader, events, indexed, types } = recorder();
    const bytes = await writeDockerSave([tagged]);
    await loader.load(1, [source(bytes, 'one.tar'), source(bytes, 'two.tar')]);
    const id = await configDigest(tagged);
    const summaries = events.flatMap((e) => (e.type === 'summary' ? [e.summary] : []));
    expect(summaries.map((s) => s.images.map((i) => i.id))).toEqual([[id], [id, `${id}#2`]]);
    expect(indexed.length).toBe(2);
    // Uncompressed layers: a headers-only analysis first, then the full one, for each file.
    expect(types()).toEqual([
      'summary', 'analysis', 'layer', 'layer', 'analysis',
      'summary', 'analysis', 'layer', 'layer', 'analysis', 'done',
    ]);
    const layers = events.flatMap((e) => (e.type === 'layer' ? [e] : []));
    expect(layers.map((l) => [l.files, l.verification])).toEqual([[1, 'verified'], [1, 'verified'], [1, 'verified'], [1, 'verified']]);
    // The session holds each image once (the quick results were replaced) under the posted ids.
    const report = loader.session.answer({ kind: 'report', imageId: toImageId(`${id}#2`) });
    expect(report.image?.sizeBytes).toBe('ID=debian\n'.length + 'print("hi")\n'.length);
    expect(() => loader.session.answer({ kind: 'findings', imageId: toImageId(`${id}#3`) })).toThrow(`no image ${id}#3 in this load`);
  });

  it('an untagged image is named after its file, and the page learns ids it can query', async () => {
    const { loader, events } = recorder();
    await loader.load(1, [source(await writeOciLayout([untagged]), 'build-output.tar')]);
    const summary = events.findLast((e) => e.type === 'summary');
    expect(summary?.type === 'summary' && summary.summary.images.map((i) => i.tags)).toEqual([['build-output.tar']]);
    const imageId = summary?.type === 'summary' ? summary.summary.images[0]!.id : toImageId('');
    expect(loader.session.answer({ kind: 'findings', imageId })).toEqual([]);
  });

  it('a file that is not an archive is an error naming it; the next file still loads', async () => {
    const { loader, events, types } = recorder();
    const png = new Uint8Array(600);
    png.set([0x89, 0x50, 0x4e, 0x47]);
    await loader.load(7, [source(png, 'photo.png'), source(await writeDockerSave([tagged]), 'ok.tar')]);
    expect(events[0]).toEqual({ type: 'error', loadId: 7, file: 'photo.png', message: 'photo.png is not a tar archive or an image: byte 0 starts a PNG image' });
    expect(types().slice(1)).toEqual(['summary', 'analysis', 'layer', 'layer', 'analysis', 'done']);
  });

  it('warnings name the file and the image they come from', async () => {
    const { loader, events } = recorder();
    const good = await writeDockerSave([tagged]);
    const at = Buffer.from(good).indexOf('print("hi")') + 2;
    const bad = flipByte(good, at);
    await loader.load(1, [source(bad, 'bad.tar'), source(bad, 'copy.tar')]);
    const warnings = events.flatMap((e) => (e.type === 'warning' ? [e.warning] : []));
    const id = await configDigest(tagged);
    // The copy's layers are the first file's (read once), and its warning names the copy's image.
    expect(warnings).toMatchObject([
      { code: 'digest-mismatch', layer: 1, file: 'bad.tar', image: id },
      { code: 'digest-mismatch', layer: 1, file: 'copy.tar', image: `${id}#2` },
    ]);
  });

  it('the merge\'s warnings reach the page after the full pass, once, naming the file and the image', async () => {
    const { loader, events, types } = recorder();
    const linked: ImageSpec = {
      tags: ['link:1'],
      layers: [
        { createdBy: 'base', raw: true, files: [{ path: 'real', type: 'dir' }, { path: 'real/f', content: 'f' }, { path: 'link', type: 'symlink', linkname: 'real' }] },
        { createdBy: 'rm', raw: true, files: [{ path: 'link/.wh.f', content: '' }] },
      ],
    };
    await loader.load(2, [source(await writeDockerSave([linked]), 'link.tar')]);
    const warnings = events.flatMap((e) => (e.type === 'warning' ? [e.warning] : []));
    expect(warnings).toMatchObject([{ code: 'layer-path-through-symlink', layer: 1, file: 'link.tar', image: await configDigest(linked) }]);
    expect(types().slice(-2)).toEqual(['warning', 'done']);
  });

  it('a cancelled load stops without done; a new load replaces the running one', async () => {
    const { loader, events } = recorder();
    const bytes = await writeDockerSave([tagged]);
    const first = loader.load(1, [source(bytes, 'a.tar'), source(bytes, 'b.tar')]);
    const second = loader.load(2, [source(await writeOciLayout([untagged]), 'c.tar')]);
    await Promise.all([first, second]);
    expect(events.filter((e) => e.type === 'done')).toEqual([{ type: 'done', loadId: 2 }]);
    expect(events.some((e) => e.type === 'summary' && e.loadId === 1 && e.summary.images.length === 2)).toBe(false);

    const third = loader.load(3, [source(bytes, 'd.tar')]);
    loader.cancel(3);
    await third;
    expect(events.some((e) => e.type === 'done' && e.loadId === 3)).toBe(false);
    expect(events.some((e) => e.type === 'error' && e.loadId === 3)).toBe(false);
  });

  it('progress reaches the page at most once per interval, and at the end of every layer', async () => {
    const { loader, events } = recorder({ now: () => 0, progressMs: 100 });
    await loader.load(1, [source(await writeDockerSave([tagged]), 'a.tar')]);
    const progress = events.flatMap((e) => (e.type === 'progress' ? [e.layers] : []));
    // The clock never moves: only the first report and the two layer ends get through.
    expect(progress.length).toBe(3);
    expect(progress.at(-1)!.every((l) => l.bytesDone === l.bytesTotal)).toBe(true);
  });
});

const three: ImageSpec = {
  tags: ['ml:1'],
  layers: [
    { createdBy: 'ADD base /', files: [{ path: 'etc/os-release', content: 'ID=debian\n' }] },
    { createdBy: 'RUN pip install torch', files: [{ path: 'opt/torch/lib.so', content: 'x'.repeat(3000) }, { path: 'opt/torch/__init__.py', content: 'import lib\n' }] },
    { createdBy: 'COPY app /app', files: [{ path: 'app/main.py', content: 'print("hi")\n' }] },
  ],
};
const rows = (loader: Loader, imageId: ImageId, view: View) => loader.session.answer({
  kind: 'treeRows',
  request: { imageId, view, expanded: [], expandAll: true, filter: { text: '', regex: false, minSize: 0, show: { added: true, modified: true, meta: true, removed: true, unchanged: true } }, sort: 'name', offset: 0, limit: 100 },
}).rows.map((r) => r.path);

describe('Loader: compressed layers explorable before the last one is read', () => {
  it('layers 0 and 1 are a tree (each on its own and up to layer 1) while layer 2 has not sent a byte; the final view follows', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    // Layer 2's bytes wait for the gate: its index job is running, blocked on its source.
    const runLayer: LayerRunner = (job, onProgress, signal) => runInProcess(job.layer === 2 ? { ...job, source: paused(job.source, gate) } : job, onProgress, signal);
    const events: EngineEvent[] = [];
    const loader = new Loader((e) => events.push(e), { runLayer });
    const loading = loader.load(1, [source(await writeOciLayout([three]), 'ml.tar')]);
    await vi.waitFor(() => expect(events.some((e) => e.type === 'analysis' && e.analysis.partial?.layers === 2)).toBe(true));

    const partials = events.flatMap((e) => (e.type === 'analysis' ? [e.analysis.partial] : []));
    // Layer 0 alone first when it is in before layer 1 (the two are read at once), then both.
    expect([[{ layers: 1, of: 3 }, { layers: 2, of: 3 }], [{ layers: 2, of: 3 }]]).toContainEqual(partials);
    expect(events.some((e) => e.type === 'done')).toBe(false);
    const imageId = (events.find((e) => e.type === 'summary') as Extract<EngineEvent, { type: 'summary' }>).summary.images[0]!.id;
    expect(rows(loader, imageId, { mode: 'layerOnly', layer: 1 })).toEqual(['opt', 'opt/torch', 'opt/torch/__init__.py', 'opt/torch/lib.so']);
    expect(rows(loader, imageId, { mode: 'upTo', layer: 1 })).toEqual(['etc', 'etc/os-release', 'opt', 'opt/torch', 'opt/torch/__init__.py', 'opt/torch/lib.so']);
    expect(loader.session.answer({ kind: 'details', imageId, view: { mode: 'upTo', layer: 1 }, path: 'opt/torch/lib.so' })?.size).toBe(3000);

    release();
    await loading;
    const last = events.filter((e) => e.type === 'analysis').at(-1) as Extract<EngineEvent, { type: 'analysis' }>;
    expect(last.analysis.partial).toBeUndefined();
    expect(last.analysis.layers.length).toBe(3);
    expect(rows(loader, imageId, { mode: 'final', layer: 2 })).toEqual(['app', 'app/main.py', 'etc', 'etc/os-release', 'opt', 'opt/torch', 'opt/torch/__init__.py', 'opt/torch/lib.so']);
    expect(events.at(-1)?.type).toBe('done');
  });
});

describe('Loader: an uncompressed archive explorable before the quick pass has every layer', () => {
  it('layers 0 and 1 are a tree while layer 2\'s headers are held; then every layer, headers only; then the verified result', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const inner = source(await writeDockerSave([three]), 'ml.tar');
    // Layer 2 (the last in the archive's manifest) sends nothing until the gate opens, in either pass.
    let plans = 0;
    const held = new WeakSet<object>();
    const slow: ImageSource = {
      name: inner.name,
      list: (signal, opts) => inner.list(signal, opts).then((l) => {
        for (const img of l.images) held.add(img.layers[2]!);
        return l;
      }),
      read: (entry) => inner.read(entry),
      layer: (plan) => { plans++; return held.has(plan) ? paused(inner.layer(plan), gate) : inner.layer(plan); },
    };
    const events: EngineEvent[] = [];
    const loader = new Loader((e) => events.push(e), {});
    const loading = loader.load(1, [slow]);
    await vi.waitFor(() => expect(events.some((e) => e.type === 'analysis' && e.analysis.partial?.layers === 2)).toBe(true));

    const analyses = () => events.flatMap((e) => (e.type === 'analysis' ? [e.analysis] : []));
    expect([[{ layers: 1, of: 3 }, { layers: 2, of: 3 }], [{ layers: 2, of: 3 }]]).toContainEqual(analyses().map((a) => a.partial));
    // Nothing is verified yet: the full pass waits for the quick one.
    expect(events.some((e) => e.type === 'layer')).toBe(false);
    const imageId = (events.find((e) => e.type === 'summary') as Extract<EngineEvent, { type: 'summary' }>).summary.images[0]!.id;
    expect(rows(loader, imageId, { mode: 'upTo', layer: 1 })).toEqual(['etc', 'etc/os-release', 'opt', 'opt/torch', 'opt/torch/__init__.py', 'opt/torch/lib.so']);

    release();
    await loading;
    const after = analyses().slice(analyses().findIndex((a) => a.partial?.layers === 2) + 1);
    // The quick pass's whole tree, then the full pass's: both with every layer, neither partial.
    expect(after.map((a) => [a.partial, a.layers.length])).toEqual([[undefined, 3], [undefined, 3]]);
    const layerEvents = events.flatMap((e) => (e.type === 'layer' ? [e.verification] : []));
    expect(layerEvents).toEqual(['verified', 'verified', 'verified']);
    expect(rows(loader, imageId, { mode: 'final', layer: 2 })).toEqual(['app', 'app/main.py', 'etc', 'etc/os-release', 'opt', 'opt/torch', 'opt/torch/__init__.py', 'opt/torch/lib.so']);
    expect(plans).toBe(6); // each layer's blob opened once by each pass
    expect(events.at(-1)?.type).toBe('done');
  });
});

/** The same bytes, held back until `gate` resolves (a layer still on its way). */
function paused(inner: ByteSource, gate: Promise<void>): ByteSource {
  return {
    size: inner.size,
    read: async (offset, length, signal) => { await gate; return inner.read(offset, length, signal); },
    stream: (from, to, signal) => {
      let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          await gate;
          reader ??= inner.stream(from, to, signal).getReader();
          const { value, done } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        },
      });
    },
  };
}
