import { describe, expect, it } from 'vitest';
import { compileIgnore, isIgnored } from './glob';

const ignored = (patterns: string[], path: string) => isIgnored(compileIgnore(patterns), path);

describe('ignore globs', () => {
  it('matches a name without a slash at any depth, and drops what is below a matching directory', () => {
    expect(ignored(['*.pyc'], 'usr/lib/python3/x.pyc')).toBe(true);
    expect(ignored(['*.pyc'], 'x.pyc')).toBe(true);
    expect(ignored(['*.pyc'], 'usr/lib/x.py')).toBe(false);
    expect(ignored(['__pycache__'], 'app/__pycache__/main.cpython-312.pyc')).toBe(true);
    expect(ignored(['__pycache__'], 'app/not__pycache__/x')).toBe(false);
  });

  it('anchors a pattern with a slash at the root; ** spans segments, * does not', () => {
    expect(ignored(['var/cache/**'], 'var/cache/apt/pkgcache.bin')).toBe(true);
    expect(ignored(['var/cache'], 'srv/var/cache/x')).toBe(false);
    expect(ignored(['/root/.cache'], 'root/.cache/pip/wheel')).toBe(true);
    expect(ignored(['usr/*/doc'], 'usr/share/doc/bash/copyright')).toBe(true);
    expect(ignored(['usr/*/doc'], 'usr/local/share/doc/x')).toBe(false);
    expect(ignored(['usr/**/doc'], 'usr/local/share/doc/x')).toBe(true);
    expect(ignored(['**/*.log'], 'a/b/c/build.log')).toBe(true);
  });

  it('reads ? and character classes, and treats other characters literally', () => {
    expect(ignored(['?.txt'], 'a/b.txt')).toBe(true);
    expect(ignored(['?.txt'], 'a/bb.txt')).toBe(false);
    expect(ignored(['*.py[co]'], 'x.pyo')).toBe(true);
    expect(ignored(['*.py[!co]'], 'x.pyc')).toBe(false);
    expect(ignored(['a+b(1).txt'], 'a+b(1).txt')).toBe(true);
    expect(ignored(['a.b'], 'axb')).toBe(false);
  });

  it('refuses an empty pattern instead of ignoring everything', () => {
    expect(() => compileIgnore(['/'])).toThrow(/empty pattern/);
  });

  it('walks a 222k-deep path one segment at a time', () => {
    const deep = Array.from({ length: 222_000 }, () => 'd').join('/') + '/x.pyc';
    expect(ignored(['*.pyc'], deep)).toBe(true);
    expect(ignored(['e'], deep)).toBe(false);
  });
});
