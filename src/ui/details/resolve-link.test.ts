import { describe, expect, it } from 'vitest';
import { resolveLink } from './resolve-link';

describe('resolveLink', () => {
  it('resolves relative targets from the link directory and absolute ones from the root', () => {
    expect(resolveLink('usr/local/cuda-12.4/targets/x86_64-linux/lib/libcudart.so.12', 'libcudart.so.12.4.127'))
      .toBe('usr/local/cuda-12.4/targets/x86_64-linux/lib/libcudart.so.12.4.127');
    expect(resolveLink('usr/local/cuda', 'cuda-12.4')).toBe('usr/local/cuda-12.4');
    expect(resolveLink('usr/bin/python3', '/usr/local/bin/python3.12')).toBe('usr/local/bin/python3.12');
    expect(resolveLink('etc/alt/x', '../../bin/./sh')).toBe('bin/sh');
  });

  it('never climbs above the root, and an empty target goes nowhere', () => {
    expect(resolveLink('a/link', '../../../../etc/passwd')).toBe('etc/passwd');
    expect(resolveLink('a/link', '')).toBeNull();
  });
});
