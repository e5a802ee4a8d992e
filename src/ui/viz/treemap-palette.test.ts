import { describe, expect, it } from 'vitest';
import { layerColor, LAYER_COLORS, textColorOn } from './treemap-palette';

const lum = (hex: string) => {
  const v = parseInt(hex.slice(1), 16);
  const lin = (c: number) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin((v >> 16) & 255) + 0.7152 * lin((v >> 8) & 255) + 0.0722 * lin(v & 255);
};
const contrast = (a: string, b: string) => {
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
};

describe('layer palette', () => {
  it('gives every layer colour a label colour readable on it (WCAG AA, 4.5:1)', () => {
    for (const c of [...LAYER_COLORS, layerColor(-1)]) expect(contrast(c, textColorOn(c))).toBeGreaterThanOrEqual(4.5);
  });

  it('tells neighbouring layers apart and cycles past the palette', () => {
    for (let i = 1; i < LAYER_COLORS.length; i++) expect(layerColor(i)).not.toBe(layerColor(i - 1));
    expect(layerColor(LAYER_COLORS.length + 3)).toBe(layerColor(3));
    expect(layerColor(-1)).not.toBe(layerColor(0));
  });
});
