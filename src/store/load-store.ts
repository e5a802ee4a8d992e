// What is loaded and how far along it is. Small values only: the archive summary (images, layers,
// config), per-layer progress and counts, analyses, errors. No per-file data.
import { create } from 'zustand';
import type { ArchiveSummary, LayerRecord } from '../core/image/model';
import { WARNING_SEVERITY, type ImageId, type Verification, type Warning, type WarningSeverity } from '../core/types';
import type { ClientEvent, Dropped, ImageAnalysis } from '../workers/protocol';
import { getEngine, type Engine } from './engine';

export type LoadStatus = 'idle' | 'starting' | 'loading' | 'done' | 'cancelled' | 'failed';

export interface LayerState {
  bytesDone: number;
  bytesTotal: number;
  indexed: boolean;
  files?: number;
  uncompressedSize?: number;
  verification?: Verification;
}

export interface LoadError { message: string; file?: string; layer?: number; entry?: string; fatal: boolean }

export interface LoadState {
  status: LoadStatus;
  loadId: number | null;
  fileNames: string[];
  summary: ArchiveSummary | null;
  /** Keyed by LayerRecord.key. */
  layers: Record<string, LayerState>;
  analyses: Record<ImageId, ImageAnalysis>;
  errors: LoadError[];
  warnings: (Warning & { file?: string })[];
  /**
   * A new value whenever what the engine answers may have changed: a new load, or an image merged
   * again (its quick pass, then its full pass). Per image, so a layer event or another image's
   * analysis does not send every pane back to the engine. Read it with `dataVersionOf`.
   */
  loadVersion: number;
  imageVersions: Record<ImageId, number>;
  startedAt: number;
  finishedAt: number;
  /** The centre tab a new explorer opens on (the ML demo opens on "Why so large"). */
  landOn: 'files' | 'size';
}

const initial: LoadState = {
  status: 'idle', loadId: null, fileNames: [], summary: null, layers: {}, analyses: {},
  errors: [], warnings: [], loadVersion: 0, imageVersions: {}, startedAt: 0, finishedAt: 0, landOn: 'files',
};

export const useLoadStore = create<LoadState>()(() => ({ ...initial }));

let unsubscribe: (() => void) | null = null;

type StoredWarning = LoadState['warnings'][number];

/** The same warning can arrive in the summary and again as an event: keep one. */
function addWarnings(prev: StoredWarning[], more: StoredWarning[]): StoredWarning[] {
  const key = (w: StoredWarning) => `${w.code}|${w.image ?? ''}|${w.layer ?? ''}|${w.entry ?? ''}|${w.offset ?? ''}|${w.message}`;
  const seen = new Set(prev.map(key));
  const out = [...prev];
  for (const w of more) {
    const k = key(w);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(w);
  }
  return out;
}

/** 'damage' (shown as an error) or 'note', as core decides for the warning's code. */
export function severityOf(w: Warning): WarningSeverity {
  return WARNING_SEVERITY[w.code];
}

/** Versions only go up, across loads too, so a pane never mistakes a new load's answer for an old one. */
let versions = 0;

/** The version of what the engine answers about `imageId`: a query's cache key. */
export function dataVersionOf(s: LoadState, imageId: ImageId | null): number {
  return (imageId !== null ? s.imageVersions[imageId] : undefined) ?? s.loadVersion;
}

/** What the page knows of a layer: its record from the summary, updated by the load's layer events. */
export interface LayerFacts {
  uncompressedSize: number | undefined;
  files: number | undefined;
  /** Known once the layer is read (the summary's record says 'unverifiable' until then). */
  verification: Verification | undefined;
  indexed: boolean;
  bytesDone: number;
  bytesTotal: number;
}

export function layerFacts(layers: LoadState['layers'], record: LayerRecord): LayerFacts {
  const st = layers[record.key];
  return {
    uncompressedSize: st?.uncompressedSize ?? record.uncompressedSize,
    files: st?.files ?? record.files,
    verification: st?.verification,
    indexed: st?.indexed ?? false,
    bytesDone: st?.bytesDone ?? 0,
    bytesTotal: st?.bytesTotal ?? record.compressedSize,
  };
}

/** Exported for tests; the page feeds it from the engine client (openFiles). */
export function applyEvent(e: ClientEvent): void {
  const s = useLoadStore.getState();
  const set = useLoadStore.setState;
  if (e.type === 'crashed') {
    // The worker is gone: whatever was read stays on screen, a load still running ends here.
    if (s.loadId === null) return;
    const running = s.status === 'loading' || s.status === 'starting';
    set({
      errors: [...s.errors, { message: `engine failed: ${e.message}`, fatal: true }],
      ...(running ? { status: s.summary ? 'done' : 'failed', finishedAt: performance.now() } as const : {}),
    });
    return;
  }
  if (e.loadId !== s.loadId) return;
  switch (e.type) {
    case 'summary': {
      const layers: Record<string, LayerState> = { ...s.layers };
      for (const img of e.summary.images) {
        for (const l of img.layers) {
          layers[l.key] ??= { bytesDone: 0, bytesTotal: l.compressedSize, indexed: false, uncompressedSize: l.uncompressedSize };
        }
      }
      set({ summary: e.summary, layers, status: 'loading', warnings: addWarnings(s.warnings, e.summary.warnings.map((w) => ({ ...w, file: s.fileNames.length === 1 ? s.fileNames[0] : undefined }))) });
      break;
    }
    case 'progress': {
      const layers = { ...s.layers };
      for (const p of e.layers) {
        const prev = layers[p.key] ?? { bytesDone: 0, bytesTotal: p.bytesTotal, indexed: false };
        layers[p.key] = { ...prev, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal };
      }
      set({ layers });
      break;
    }
    case 'layer': {
      const prev = s.layers[e.key] ?? { bytesDone: 0, bytesTotal: 0, indexed: false };
      set({
        layers: {
          ...s.layers,
          [e.key]: { ...prev, bytesDone: prev.bytesTotal, indexed: true, files: e.files, uncompressedSize: e.uncompressedSize, verification: e.verification },
        },
      });
      break;
    }
    case 'warning':
      set({ warnings: addWarnings(s.warnings, [e.warning]) });
      break;
    case 'analysis':
      // The engine merged this image again: only its queries are asked again.
      set({ analyses: { ...s.analyses, [e.analysis.imageId]: e.analysis }, imageVersions: { ...s.imageVersions, [e.analysis.imageId]: ++versions } });
      break;
    case 'done':
      set({ status: s.summary ? 'done' : 'failed', finishedAt: performance.now() });
      break;
    case 'error': {
      // The engine goes on with the next file after an error and ends with 'done'; whatever was read
      // stays on screen and usable (a crashed worker is the 'crashed' event above).
      set({ errors: [...s.errors, { message: e.message, file: e.file, fatal: false }] });
      break;
    }
  }
}

/** Whether loads check every layer's sha256 digests: on by default, kept across loads. */
let verifyDigests = true;
export function setVerifyDigests(on: boolean): void { verifyDigests = on; }
export function getVerifyDigests(): boolean { return verifyDigests; }

export async function openFiles(files: Dropped[], options?: { platform?: string; landOn?: LoadState['landOn'] }): Promise<void> {
  const { landOn = 'files', ...opts } = options ?? {};
  await startLoad(files.map((f) => f.name), (engine, verify) => engine.load(files, { ...opts, verify }), landOn);
}

/** Starts a load of any kind (files, a registry reference) under `names`; resolves with its id. */
export async function startLoad(
  names: string[], begin: (engine: Engine, verify: boolean) => number, landOn: LoadState['landOn'] = 'files',
): Promise<number | null> {
  const prev = useLoadStore.getState();
  useLoadStore.setState({ ...initial, status: 'starting', fileNames: names, startedAt: performance.now(), loadVersion: ++versions, landOn });
  try {
    const engine = await getEngine();
    if (prev.loadId !== null && (prev.status === 'loading' || prev.status === 'starting')) engine.cancel(prev.loadId);
    unsubscribe ??= engine.on(applyEvent);
    const loadId = begin(engine, verifyDigests);
    useLoadStore.setState({ loadId });
    return loadId;
  } catch (err) {
    useLoadStore.setState({
      status: 'failed',
      errors: [{ message: err instanceof Error ? err.message : String(err), file: names[0], fatal: true }],
    });
    return null;
  }
}

export async function cancelLoad(): Promise<void> {
  const { loadId, status } = useLoadStore.getState();
  if (loadId === null || (status !== 'loading' && status !== 'starting')) return;
  (await getEngine()).cancel(loadId);
  useLoadStore.setState({ status: useLoadStore.getState().summary ? 'cancelled' : 'idle', finishedAt: performance.now() });
}

export function closeArchive(): void {
  const { loadId, status } = useLoadStore.getState();
  if (loadId !== null && (status === 'loading' || status === 'starting')) void cancelLoad();
  useLoadStore.setState({ ...initial, loadVersion: ++versions });
}

export function dismissError(index: number): void {
  const s = useLoadStore.getState();
  useLoadStore.setState({ errors: s.errors.filter((_, i) => i !== index) });
}
