// Per page state of the registry proxy, in memory only: for each page session (a random id the page
// makes when it loads) and registry host, the registry client (with its token cache), the
// credentials the user typed for that host, and the blob sizes the manifests served to that page
// named. Nothing here is ever written to disk or logged; an idle session is forgotten, credentials
// with it. The per-session limiter bounds the upstream requests one page keeps in flight.

export interface Credentials { username: string; password: string }

export interface Limits {
  /** Upstream requests one page may have in flight; more wait. */
  perPage: number;
  /** Requests one page may have waiting; more are refused with 429. */
  queue: number;
  /** Page sessions kept; the least recently used is forgotten past this. */
  sessions: number;
  /** A session unused this long is forgotten (its credentials with it). */
  idleMs: number;
}

export const DEFAULT_LIMITS: Limits = { perPage: 6, queue: 256, sessions: 64, idleMs: 15 * 60_000 };

/** Blob sizes remembered per host and session (a manifest names a few dozen; an index none). */
const MAX_SIZES = 20_000;

export class Busy extends Error {
  constructor() {
    super('too many registry requests from this page at once: try again');
    this.name = 'Busy';
  }
}

export interface HostState<C> {
  client: C;
  credentials?: Credentials;
  /** sha256 digest -> size, from the descriptors of manifests this page was served. */
  sizes: Map<string, number>;
}

class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limits: Limits) {}

  async run<T>(task: () => Promise<T>, signal: AbortSignal): Promise<T> {
    if (this.active >= this.limits.perPage) {
      if (this.waiting.length >= this.limits.queue) throw new Busy();
      await new Promise<void>((go, stop) => {
        const wake = () => { signal.removeEventListener('abort', drop); go(); };
        const drop = () => {
          const i = this.waiting.indexOf(wake);
          if (i >= 0) this.waiting.splice(i, 1);
          stop(signal.reason);
        };
        signal.addEventListener('abort', drop, { once: true });
        this.waiting.push(wake);
      });
    }
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  get idle(): boolean {
    return this.active === 0 && this.waiting.length === 0;
  }
}

interface Session<C> { hosts: Map<string, HostState<C>>; limiter: Limiter; lastUsed: number }

export class ProxySessions<C> {
  private readonly sessions = new Map<string, Session<C>>();
  private readonly sweep: NodeJS.Timeout;

  constructor(
    /** Makes a client for a host; `credentials` reads the state's current credentials. */
    private readonly makeClient: (host: string, credentials: () => Credentials | undefined) => C,
    private readonly limits: Limits = DEFAULT_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.sweep = setInterval(() => this.forgetIdle(), Math.min(60_000, limits.idleMs));
    this.sweep.unref();
  }

  /** The state for one page and host; new credentials (typed again) start a fresh client. */
  host(sessionId: string, host: string, credentials: Credentials | undefined): { state: HostState<C>; limiter: Limiter } {
    const session = this.session(sessionId);
    let state = session.hosts.get(host);
    const changed = credentials && (credentials.username !== state?.credentials?.username || credentials.password !== state?.credentials?.password);
    if (!state || changed) {
      const sizes = state?.sizes ?? new Map<string, number>();
      const next: HostState<C> = { client: undefined as unknown as C, sizes, ...(credentials ? { credentials } : state?.credentials ? { credentials: state.credentials } : {}) };
      next.client = this.makeClient(host, () => next.credentials);
      session.hosts.set(host, next);
      state = next;
    }
    return { state, limiter: session.limiter };
  }

  /** Remembers the sizes a manifest's descriptors give, so its blobs can be checked and streamed. */
  static remember(state: HostState<unknown>, descriptors: { digest: string; size: number }[]): void {
    for (const d of descriptors) {
      if (state.sizes.size >= MAX_SIZES) state.sizes.delete(state.sizes.keys().next().value!);
      state.sizes.set(d.digest, d.size);
    }
  }

  close(): void {
    clearInterval(this.sweep);
    this.sessions.clear();
  }

  get size(): number {
    return this.sessions.size;
  }

  private session(id: string): Session<C> {
    let s = this.sessions.get(id);
    if (s) this.sessions.delete(id); // re-inserted below: Map order is recency order
    else s = { hosts: new Map(), limiter: new Limiter(this.limits), lastUsed: 0 };
    s.lastUsed = this.now();
    this.sessions.set(id, s);
    while (this.sessions.size > this.limits.sessions) {
      const oldest = this.sessions.keys().next().value!;
      this.sessions.delete(oldest);
    }
    return s;
  }

  private forgetIdle(): void {
    const cutoff = this.now() - this.limits.idleMs;
    for (const [id, s] of this.sessions) if (s.lastUsed < cutoff && s.limiter.idle) this.sessions.delete(id);
  }
}
