// What is loaded and how far along it is. Small values only: the archive summary (images, layers,
// config), per-layer progress and counts, analyses, errors. No per-file data.
import { create } from 'zustand';
import type { ArchiveSummary } from '../core/image/model';
import type { Warning } from '../core/types';
import type { Dropped, EngineEvent, ImageAnalysis } from '../workers/protocol';
import { getEngine, type Engine } from './engine';

export type LoadStatus = 'idle' | 'starting' | 'loading' | 'done' | 'cancelled' | 'failed';

export interface LayerState {
  bytesDone: number;
  bytesTotal: number;
  indexed: boolean;
  files?: number;
  uncompressedSize?: number;
  verification?: 'verified' | 'mismatch' | 'unverifiable';
}

export interface LoadError { message: string; file?: string; layer?: number; entry?: string; fatal: boolean }

export interface LoadState {
  status: LoadStatus;
  loadId: number | null;
  fileNames: string[];
  summary: ArchiveSummary | null;
  /** Keyed by LayerRecord.key. */
  layers: Record<string, LayerState>;
  analyses: Record<string, ImageAnalysis>;
  errors: LoadError[];
  warnings: (Warning & { file?: string })[];
  /** Bumped whenever the engine has more indexed data, so windows of rows are fetched again. */
  dataVersion: number;
  startedAt: number;
  finishedAt: number;
}

const initial: LoadState = {
  status: 'idle', loadId: null, fileNames: [], summary: null, layers: {}, analyses: {},
  errors: [], warnings: [], dataVersion: 0, startedAt: 0, finishedAt: 0,
};

export const useLoadStore = create<LoadState>()(() => ({ ...initial }));

let unsubscribe: (() => void) | null = null;

type StoredWarning = LoadState['warnings'][number];

/** The same warning can arrive in the summary and again as an event: keep one. */
function addWarnings(prev: StoredWarning[], more: StoredWarning[]): StoredWarning[] {
  const key = (w: StoredWarning) => `${w.code}|${w.layer ?? ''}|${w.entry ?? ''}|${w.offset ?? ''}|${w.message}`;
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

/** Warnings that mean bytes are damaged or missing: shown as errors, not as notes. */
export const DAMAGE_CODES = new Set([
  'tar-truncated', 'tar-bad-header', 'tar-bad-checksum', 'tar-bad-pax', 'tar-bad-sparse-map', 'tar-path-escape',
  'layer-not-tar', 'layer-bomb', 'digest-mismatch', 'diff-ids-mismatch', 'config-digest-mismatch', 'archive-read-failed',
]);

function applyEvent(e: EngineEvent): void {
  if (e.type === 'answer') return;
  const s = useLoadStore.getState();
  if (e.loadId !== s.loadId) return;
  const set = useLoadStore.setState;
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
        dataVersion: s.dataVersion + 1,
      });
      break;
    }
    case 'warning':
      set({ warnings: addWarnings(s.warnings, [e.warning]) });
      break;
    case 'analysis':
      set({ analyses: { ...s.analyses, [e.analysis.imageId]: e.analysis }, dataVersion: s.dataVersion + 1 });
      break;
    case 'done':
      set({ status: s.summary ? 'done' : 'failed', finishedAt: performance.now(), dataVersion: s.dataVersion + 1 });
      break;
    case 'error': {
      // The engine goes on with the next file after an error and ends with 'done'; whatever was read
      // stays on screen and usable. Only a crashed worker ends the load here.
      const crashed = e.message.startsWith('engine failed');
      set({
        errors: [...s.errors, { message: e.message, file: e.file, fatal: crashed }],
        dataVersion: s.dataVersion + 1,
        ...(crashed ? { status: s.summary ? 'done' : 'failed', finishedAt: performance.now() } as const : {}),
      });
      break;
    }
  }
}

/** Whether loads check every layer's sha256 digests: on by default, kept across loads. */
let verifyDigests = true;
export function setVerifyDigests(on: boolean): void { verifyDigests = on; }
export function getVerifyDigests(): boolean { return verifyDigests; }

export async function openFiles(files: Dropped[], opts?: { platform?: string }): Promise<void> {
  await startLoad(files.map((f) => f.name), (engine, verify) => engine.load(files, { ...opts, verify }));
}

/** Starts a load of any kind (files, a registry reference) under `names`; resolves with its id. */
export async function startLoad(names: string[], begin: (engine: Engine, verify: boolean) => number): Promise<number | null> {
  const prev = useLoadStore.getState();
  useLoadStore.setState({ ...initial, status: 'starting', fileNames: names, startedAt: performance.now(), dataVersion: prev.dataVersion + 1 });
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
  useLoadStore.setState({ ...initial, dataVersion: useLoadStore.getState().dataVersion + 1 });
}

export function dismissError(index: number): void {
  const s = useLoadStore.getState();
  useLoadStore.setState({ errors: s.errors.filter((_, i) => i !== index) });
}
