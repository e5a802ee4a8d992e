// Pulling an image by reference: what was asked, where it stands, and what the user can do when it
// fails (credentials on a 401, wait on a 429, a name to check on a 404). Credentials live in this
// module's memory only, per API host: never in state, storage or the URL, and sent (through the
// engine worker) only with requests for the host they were typed for.
import { create } from 'zustand';
import { parseReference, type Reference } from '../core/registry/reference';
import { describeRateLimit, type RateLimit } from '../core/registry/errors';
import { formatPlatform, type Platform } from '../core/types';
import type { ClientEvent, RegistryFailure } from '../workers/protocol';
import { getEngine } from './engine';
import { closeArchive, startLoad, useLoadStore } from './load-store';

export { describeRateLimit, formatPlatform };
export type { Platform };

export type PullPhase = 'idle' | 'pulling' | 'credentials' | 'failed' | 'loaded';

export interface RegistryState {
  /** The reference as the user typed it (shown in the box and written to the URL). */
  text: string;
  /** Its canonical form, once parsed. */
  canonical: string | null;
  /** The registry as typed (`docker.io`, `127.0.0.1:5000`), for the credentials prompt. */
  registry: string | null;
  phase: PullPhase;
  failure: RegistryFailure | null;
  /** The platform asked for (`linux/arm64`), when the user picked one from an index. */
  platform?: string;
  /** What the tag resolved to and the pull quota the registry reported. */
  digest?: string;
  rateLimit?: RateLimit;
  loadId: number | null;
}

const initial: RegistryState = { text: '', canonical: null, registry: null, phase: 'idle', failure: null, loadId: null };

export const useRegistryStore = create<RegistryState>()(() => ({ ...initial }));

/** apiHost -> what the user typed. Memory only; gone with the tab. */
const credentials = new Map<string, { username: string; password: string }>();

let listening = false;
/** True while pullReference starts its load (the load store learns the id first). */
let starting = false;

// Another load (a dropped file) replaces the pulled image: the bar and the wording go with it.
useLoadStore.subscribe((load, prev) => {
  const s = useRegistryStore.getState();
  if (starting || load.loadId === prev.loadId || load.loadId === null || load.loadId === s.loadId) return;
  if (s.phase === 'pulling' || s.phase === 'loaded') useRegistryStore.setState({ ...initial });
});

function onEvent(e: ClientEvent): void {
  const s = useRegistryStore.getState();
  if (e.type === 'crashed' || e.loadId !== s.loadId) return;
  if (e.type === 'registry') {
    useRegistryStore.setState({ digest: e.digest, ...(e.rateLimit ? { rateLimit: e.rateLimit } : {}) });
  } else if (e.type === 'error' && e.registry) {
    // Nothing shown yet: back to the box, which says what to do. After the summary, the error
    // stays in the explorer's banner beside what was read.
    if (useLoadStore.getState().summary) return;
    const phase = e.registry.code === 'unauthorized' ? 'credentials' : 'failed';
    useRegistryStore.setState({ phase, failure: e.registry, loadId: null });
    closeArchive();
  } else if (e.type === 'summary') {
    useRegistryStore.setState({ phase: 'loaded', failure: null });
  }
}

/** `#ref=<reference>[&platform=os/arch]`: a link that reopens the image. */
export function referenceFromHash(hash: string): { text: string; platform?: string } | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const text = params.get('ref');
  if (!text) return null;
  const platform = params.get('platform') ?? undefined;
  return { text, ...(platform ? { platform } : {}) };
}

export function hashFor(text: string, platform?: string): string {
  const params = new URLSearchParams({ ref: text });
  if (platform) params.set('platform', platform);
  return `#${params.toString().replace(/%2F/g, '/').replace(/%3A/g, ':').replace(/%40/g, '@')}`;
}

/** Parses the reference; throws its ReferenceError (a sentence naming what is wrong). */
export function checkReference(text: string): Reference {
  return parseReference(text);
}

export async function pullReference(text: string, opts: { platform?: string } = {}): Promise<void> {
  let ref: Reference;
  try {
    ref = parseReference(text);
  } catch (e) {
    useRegistryStore.setState({ ...initial, text, phase: 'failed', failure: { code: 'bad-reference', message: (e as Error).message } });
    return;
  }
  const trimmed = text.trim();
  history.replaceState(null, '', `${location.pathname}${location.search}${hashFor(trimmed, opts.platform)}`);
  useRegistryStore.setState({
    ...initial, text: trimmed, canonical: ref.toString(), registry: ref.registry, phase: 'pulling',
    ...(opts.platform ? { platform: opts.platform } : {}),
  });
  const engine = await getEngine();
  if (!listening) {
    engine.on(onEvent);
    listening = true;
  }
  const creds = credentials.get(ref.apiHost);
  starting = true;
  const loadId = await startLoad([ref.toString()], (eng, verify) => eng.loadReference(ref.toString(), {
    verify,
    ...(opts.platform ? { platform: opts.platform } : {}),
    ...(creds ? { credentials: { host: ref.apiHost, ...creds } } : {}),
  })).finally(() => { starting = false; });
  useRegistryStore.setState({ loadId });
}

/** The prompt's answer: remembered for this host (this tab only) and the pull tried again. */
export async function submitCredentials(username: string, password: string): Promise<void> {
  const { text, platform } = useRegistryStore.getState();
  const ref = parseReference(text);
  credentials.set(ref.apiHost, { username, password });
  await pullReference(text, platform ? { platform } : {});
}

/** Back to the empty box (the prompt's Cancel). */
export function resetPull(): void {
  useRegistryStore.setState({ ...initial });
}
