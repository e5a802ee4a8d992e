// Ignore globs over path segments, in gitignore's spirit: a pattern without a `/` matches a name at
// any depth (`*.pyc`, `__pycache__`); one with a `/` is anchored at the root (`var/cache/**`);
// `**` spans any number of segments; `*` and `?` never cross a `/`; `[abc]` is a class. A matching
// directory drops its whole subtree.
//
// Matching is incremental, one segment at a time, so a walk carries a small state per directory and
// never rebuilds a path: a 222k-deep path costs one step per segment, not its depth per node.

type Segment = RegExp | 'any';

export interface IgnoreMatcher {
  /** The state at the root (no segment consumed). */
  readonly start: IgnoreState;
  /** The state after one more segment; `matched` says the path so far is ignored. */
  step(state: IgnoreState, name: string): IgnoreState;
  readonly empty: boolean;
}

/** Per pattern, a bit set of positions reached (patterns are capped at 30 segments). */
export interface IgnoreState { readonly bits: readonly number[]; readonly matched: boolean }

const MAX_SEGMENTS = 30;

export function compileIgnore(patterns: readonly string[]): IgnoreMatcher {
  const compiled = patterns.map(compilePattern);
  const start: IgnoreState = { bits: compiled.map((segs) => closure(segs, 1)), matched: false };
  return {
    start,
    empty: compiled.length === 0,
    step(state, name) {
      let matched = false;
      const bits = compiled.map((segs, p) => {
        const from = state.bits[p]!;
        let to = 0;
        for (let i = 0; i < segs.length; i++) {
          if (!(from & (1 << i))) continue;
          const seg = segs[i]!;
          if (seg === 'any') to |= 1 << i;
          else if (seg.test(name)) to |= 1 << (i + 1);
        }
        to = closure(segs, to);
        if (to & (1 << segs.length)) matched = true;
        return to;
      });
      return { bits, matched };
    },
  };
}

/** `**` may match no segment: reaching it also reaches the position after it. */
function closure(segs: Segment[], bits: number): number {
  for (let i = 0; i < segs.length; i++) if (bits & (1 << i) && segs[i] === 'any') bits |= 1 << (i + 1);
  return bits;
}

function compilePattern(pattern: string): Segment[] {
  let p = pattern.trim().replace(/\/+$/, '');
  const anchored = p.includes('/');
  p = p.replace(/^\/+/, '');
  const parts = p.split('/').filter((s) => s !== '');
  if (parts.length === 0) throw new Error(`--ignore "${pattern}": an empty pattern would ignore everything`);
  if (!anchored) parts.unshift('**');
  if (parts.length > MAX_SEGMENTS) throw new Error(`--ignore "${pattern}": more than ${MAX_SEGMENTS} segments`);
  return parts.map((s) => (s === '**' ? 'any' : segmentRegExp(s)));
}

function segmentRegExp(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const close = seg.indexOf(']', i + 2);
      if (close < 0) { re += '\\['; continue; }
      let body = seg.slice(i + 1, close).replace(/\\/g, '\\\\');
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      re += `[${body}]`;
      i = close;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

/** Whether a whole path (`a/b/c`, no leading `/`) or one of its ancestors is ignored. */
export function isIgnored(matcher: IgnoreMatcher, path: string): boolean {
  let s = matcher.start;
  for (const name of path.split('/')) {
    if (name === '') continue;
    s = matcher.step(s, name);
    if (s.matched) return true;
  }
  return false;
}
