// Colours of layers, for every view that colours by layer (the treemap and its legend, the size
// tables). The layer graph draws no per-layer colours, so this is the one palette. Twelve hues of
// middle lightness that read on both the light and the dark scheme; layers past twelve cycle.

export const LAYER_COLORS: readonly string[] = [
  '#5b8def', // blue
  '#f0a04b', // orange
  '#55b17c', // green
  '#e4686a', // red
  '#8f7bd8', // violet
  '#3fb2c0', // teal
  '#d88cc0', // pink
  '#b8a04a', // olive
  '#7f9bb8', // slate
  '#c27b55', // brown
  '#6cc0a0', // mint
  '#a7a3e6', // lavender
];

const UNKNOWN = '#9aa3af';

export function layerColor(layer: number): string {
  return layer < 0 ? UNKNOWN : LAYER_COLORS[layer % LAYER_COLORS.length]!;
}

/** Dark or light text, whichever reads better on `hex` (WCAG relative luminance). */
export function textColorOn(hex: string): string {
  const v = parseInt(hex.slice(1), 16);
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const lum = 0.2126 * lin((v >> 16) & 255) + 0.7152 * lin((v >> 8) & 255) + 0.0722 * lin(v & 255);
  return lum > 0.22 ? '#111722' : '#ffffff';
}
