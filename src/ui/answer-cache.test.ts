import { describe, expect, it } from 'vitest';
import { answerKey, keepAnswer, keptAnswer } from './answer-cache';
import type { QueryOf } from '../workers/protocol';

const query = (path: string): QueryOf<'sizeMap'> => ({ kind: 'sizeMap', imageId: 'img' as never, path, invisible: false });
const map = (name: string) => ({ name, path: name, size: 10, layer: 0 });

describe('answer cache', () => {
  it('gives back the answer of the same query at the same data version only', () => {
    const key = answerKey('sizeMap', '{"path":"usr"}', 3);
    keepAnswer(key, { query: query('usr'), data: map('usr') });
    expect(keptAnswer<'sizeMap'>(key)?.data).toEqual({ name: 'usr', path: 'usr', size: 10, layer: 0 });
    // A new load or a second merge of the image is a new version: asked again.
    expect(keptAnswer(answerKey('sizeMap', '{"path":"usr"}', 4))).toBeUndefined();
  });

  it('keeps nothing for queries whose answers are windows of a view', () => {
    expect(answerKey('treeRows', '{"offset":0}', 1)).toBeNull();
    expect(answerKey('details', '{"path":"etc"}', 1)).toBeNull();
    expect(answerKey('largest', '{"limit":12}', 1)).toBe('{"limit":12}#1');
  });

  it('drops the least recently used answer past 48', () => {
    const first = answerKey('sizeMap', 'dir-0', 9);
    for (let i = 0; i < 48; i++) keepAnswer(answerKey('sizeMap', `dir-${i}`, 9), { query: query(`dir-${i}`), data: map(`dir-${i}`) });
    expect(keptAnswer(first)).toBeDefined(); // read: now the most recent
    keepAnswer(answerKey('sizeMap', 'dir-48', 9), { query: query('dir-48'), data: map('dir-48') });
    expect(keptAnswer(answerKey('sizeMap', 'dir-1', 9))).toBeUndefined();
    expect(keptAnswer<'sizeMap'>(first)?.data?.name).toBe('dir-0');
  });
});
