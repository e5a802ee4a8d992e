// Whole-database files (dpkg status, apk's installed) are rewritten by every install, so the layer
// of the current file says only which step installed *something* last. Earlier captures of the
// same file tell when each package appeared: the earliest layer from which every capture lists
// it at the same version.

import { decodeText } from './text';
import type { CapturedFile, ReadContext } from './types';

/** name -> version as one database capture lists it. */
export type VersionMap = Map<string, string>;

export function installLayerOf(
  ctx: ReadContext,
  path: string,
  currentLayer: number,
  parse: (text: string) => VersionMap,
): (name: string, version: string) => number {
  // Newest first: walk back while the package is still listed at this version.
  const older = ctx.earlier(path).filter((c) => c.layer < currentLayer).reverse();
  const parsed: (VersionMap | undefined)[] = [];
  const at = (i: number, c: CapturedFile): VersionMap => (parsed[i] ??= parse(decodeText(c.bytes)));
  return (name, version) => {
    let layer = currentLayer;
    for (let i = 0; i < older.length; i++) {
      const c = older[i]!;
      if (at(i, c).get(name) !== version) break;
      layer = c.layer;
    }
    return layer;
  };
}
