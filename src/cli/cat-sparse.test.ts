// `analyze --cat` of a sparse file GNU tar wrote: the bytes GNU tar extracts, holes as zeros.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { openSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readArchive } from '../core/pipeline/read-archive';
import { writeOciLayout } from '../testing';
import { gnuExtracted, gnuSparseTar, GNU_SPARSE_FORMATS, writeSparseFiles } from '../testing/gnu-sparse';
import { analyseImages } from './analyses';
import { catFile } from './cat';

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe('analyze --cat of a sparse file', () => {
  it('prints the file GNU tar extracts (PAX 0.1, gzip layer)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strata-cat-sparse-'));
    try {
      writeSparseFiles(join(dir, 'src'));
      const tar = gnuSparseTar(join(dir, 'src'), GNU_SPARSE_FORMATS[2][1]);
      const bytes = await writeOciLayout([{ tags: ['t:1'], layers: [{ createdBy: 'COPY sparse /', compression: 'gzip', files: [], tar }] }]);
      const image = join(dir, 'image.tar');
      await writeFile(image, bytes);
      const out = join(dir, 'out.bin');
      execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/analyze.ts', image, '--cat', '/sparse/holes.bin'], { stdio: ['ignore', openSync(out, 'w'), 'pipe'] });
      expect(same(await readFile(out), await gnuExtracted(dir, tar, 'sparse/holes.bin'))).toBe(true);
      // The 20 MiB one through the same catFile, in process: two 16 MiB windows.
      const archive = await readArchive(new Blob([bytes as BlobPart]));
      const parts: Uint8Array[] = [];
      const sink = { write: (c: Uint8Array) => { parts.push(c.slice()); return true; }, once: () => undefined };
      expect(await catFile(archive, analyseImages(archive).get, '/sparse/big.bin', { image: 0, force: false, out: sink, err: () => undefined })).toBe(0);
      expect(parts.length).toBe(2);
      expect(same(Buffer.concat(parts), await gnuExtracted(dir, tar, 'sparse/big.bin'))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
