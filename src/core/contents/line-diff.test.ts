import { describe, expect, it } from 'vitest';
import { lineDiff, withContext } from './line-diff';

describe('lineDiff', () => {
  it('numbers the lines of both sides and counts what was added and removed', () => {
    const d = lineDiff('torch==2.4.0\nnumpy==1.26.4\n', 'torch==2.4.0\nnumpy==2.0.0\nsafetensors==0.4.3\n')!;
    expect(d.rows).toEqual([
      { sign: ' ', a: 1, b: 1, text: 'torch==2.4.0' },
      { sign: '-', a: 2, b: null, text: 'numpy==1.26.4' },
      { sign: '+', a: null, b: 2, text: 'numpy==2.0.0' },
      { sign: '+', a: null, b: 3, text: 'safetensors==0.4.3' },
    ]);
    expect([d.added, d.removed]).toEqual([2, 1]);
  });

  it('gives up on texts that differ in more lines than it will diff', () => {
    const a = Array.from({ length: 800 }, (_, i) => `a${i}`).join('\n');
    const b = Array.from({ length: 800 }, (_, i) => `b${i}`).join('\n');
    expect(lineDiff(a, b)).toBeNull();
  });
});

describe('withContext', () => {
  it('keeps three lines around a change and folds the rest into gaps', () => {
    const a = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    const b = [...a];
    b[9] = 'changed 10';
    const rows = withContext(lineDiff(`${a.join('\n')}\n`, `${b.join('\n')}\n`)!.rows);
    expect(rows.map((r) => ('gap' in r ? `gap ${r.gap}` : `${r.sign}${r.text}`))).toEqual([
      'gap 6', ' line 7', ' line 8', ' line 9', '-line 10', '+changed 10', ' line 11', ' line 12', ' line 13', 'gap 7',
    ]);
  });
});
