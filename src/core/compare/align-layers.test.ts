// Layer alignment on written-out stacks: what a user sees as the rows of the two layer columns.
import { describe, expect, it } from 'vitest';
import { alignLayers, type AlignHooks } from './align-layers';
import { normaliseStep } from './normalise-step';

/** Layers named by letters: same letter = same diff_id; `steps` the history; `similar` pairs. */
function align(a: string, b: string, opts: { stepsA?: string[]; stepsB?: string[]; same?: string[]; similar?: Record<string, number> } = {}) {
  const hooks: AlignHooks = {
    sameContent: (i, j) => (opts.same ?? []).includes(`${a[i]}${b[j]}`),
    similarity: (i, j) => opts.similar?.[`${a[i]}${b[j]}`] ?? 0,
  };
  const rows = alignLayers(
    { keys: [...a], steps: opts.stepsA ?? [...a].map(() => '') },
    { keys: [...b], steps: opts.stepsB ?? [...b].map(() => '') },
    hooks,
  );
  return rows.map((r) => `${r.a === null ? '-' : a[r.a]}${r.b === null ? '-' : b[r.b]} ${r.relation}`);
}

describe('alignLayers', () => {
  it('shares the common base and pairs nothing else when nothing else is alike', () => {
    expect(align('abc', 'abd')).toEqual(['aa shared', 'bb shared', 'c- only-a', '-d only-b']);
  });

  it('keeps the layers above an inserted one aligned', () => {
    expect(align('abcde', 'abXcde')).toEqual(['aa shared', 'bb shared', '-X only-b', 'cc shared', 'dd shared', 'ee shared']);
  });

  it('pairs rebuilt layers by their history step, then says same-content or changed', () => {
    const steps = ['FROM', 'RUN apt-get install', 'COPY . /app', 'CMD'];
    expect(align('abcd', 'aBCD', { stepsA: steps, stepsB: steps, same: ['bB'] })).toEqual([
      'aa shared', 'bB same-content', 'cC changed', 'dD changed',
    ]);
  });

  it('pairs by file-set similarity where steps differ, and only above the threshold', () => {
    expect(align('abc', 'aXY', { similar: { bY: 0.8, cX: 0.1 } })).toEqual(['aa shared', '-X only-b', 'bY changed', 'c- only-a']);
  });

  it('never pairs across a diff_id anchor', () => {
    // c and C have the same step but sit on either side of the shared d: pairing them would cross.
    expect(align('acd', 'adC', { stepsA: ['x', 'RUN make', 'y'], stepsB: ['x', 'y', 'RUN make'] })).toEqual([
      'aa shared', 'c- only-a', 'dd shared', '-C only-b',
    ]);
  });

  it('lines up completely different images as only-a then only-b', () => {
    expect(align('ab', 'xyz')).toEqual(['a- only-a', 'b- only-a', '-x only-b', '-y only-b', '-z only-b']);
  });
});

describe('normaliseStep', () => {
  it('reduces classic and BuildKit spellings of one step to one string', () => {
    expect(normaliseStep('/bin/sh -c apt-get update &&   apt-get install -y curl')).toBe('apt-get update && apt-get install -y curl');
    expect(normaliseStep('RUN /bin/sh -c apt-get update && apt-get install -y curl # buildkit')).toBe('apt-get update && apt-get install -y curl');
    expect(normaliseStep('RUN mkdir -p /root/example')).toBe(normaliseStep('/bin/sh -c mkdir -p /root/example'));
    expect(normaliseStep('/bin/sh -c #(nop)  ENV LANG=C.UTF-8')).toBe('ENV LANG=C.UTF-8');
    expect(normaliseStep('/bin/sh -c #(nop) COPY dir:4f0d7c0b5a7e0bd8a96e2a2a0b1c1d1e1f101112131415161718191a1b1c1d1e in /app '))
      .toBe('COPY dir:… in /app');
    expect(normaliseStep('RUN |1 VERSION=2 /bin/sh -c make install # buildkit')).toBe('|1 VERSION=2 make install');
  });
});
