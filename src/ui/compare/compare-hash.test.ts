import { describe, expect, it } from 'vitest';
import { readCompareHash, writeCompareHash } from './compare-hash';

describe('compare hash', () => {
  it('reads the pair, bare compare, and nothing', () => {
    expect(readCompareHash('#compare=sha256%3Aaa,sha256%3Abb')).toEqual({ a: 'sha256:aa', b: 'sha256:bb' });
    expect(readCompareHash('#compare')).toEqual({ a: null, b: null });
    expect(readCompareHash('#registry=x&compare=a,b')).toEqual({ a: 'a', b: 'b' });
    expect(readCompareHash('#demo')).toBeNull();
  });
  it('writes the pair beside other parts and removes it', () => {
    expect(writeCompareHash('#registry=x', { a: 'sha256:aa', b: 'b' })).toBe('#registry=x&compare=sha256%3Aaa,b');
    expect(writeCompareHash('#registry=x&compare=a,b', null)).toBe('#registry=x');
    expect(writeCompareHash('#compare', null)).toBe('');
  });
});
