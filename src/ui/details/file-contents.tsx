// What the selected file holds (issue #15): its sniffed type, hash and how it was read, then its
// text, a hex dump or the image, up to a preview limit with "show more", and a download. A symlink
// shows its target (a click follows it), a hard link its target's bytes, a path the layer removed
// the copy below it. A long read (a layer decoded from its start) shows progress and can be
// cancelled; selecting another path cancels it too.
import { useEffect, useState } from 'react';
import type { ContentCheck, ContentHow, ContentType, FileContent } from '../../core/contents/types';
import type { NodeDetails } from '../../workers/protocol';
import { formatBytes } from '../format';
import { HexView, ImageView, isImage, TextView } from './file-views';
import { resolveLink } from './resolve-link';
import { SaveButton } from './save-button';
import { useFileRead, type FileRead, type FileTarget } from './use-file-read';

/** The first read, and each "show more" of text. */
export const PREVIEW_BYTES = 256 * 1024;
/** The hex dump shows this much at first (of what was read), then this much more per click. */
const HEX_BYTES = 4096;
/** The page shows no more of a file than this; the download has all of it. */
export const PREVIEW_MAX = 16 * 1024 * 1024;
/** An image up to this size is read whole and shown. */
const IMAGE_MAX = 8 * 1024 * 1024;

export const CONTENT_TYPE_NAMES: Record<ContentType, string> = {
  empty: 'empty', text: 'text', binary: 'binary data', elf: 'ELF (executable or shared library)', 'mach-o': 'Mach-O binary',
  pe: 'Windows PE binary', wasm: 'WebAssembly module', 'python-bytecode': 'Python bytecode (.pyc)', 'java-class': 'Java class file',
  'shebang-script': 'script (#!)', gzip: 'gzip', zstd: 'Zstandard', xz: 'xz', bzip2: 'bzip2', zip: 'zip archive', tar: 'tar archive',
  '7z': '7-Zip archive', png: 'PNG image', jpeg: 'JPEG image', gif: 'GIF image', webp: 'WebP image', svg: 'SVG image',
  ico: 'icon', bmp: 'BMP image', pdf: 'PDF document', sqlite: 'SQLite database',
};

const HOW: Record<ContentHow, string> = {
  range: 'one range read of its layer',
  'gzip-member': 'decoding the gzip member that holds it',
  'zstd-frame': 'decoding the zstd frame that holds it',
  'gzip-checkpoint': 'restarting its gzip layer at a checkpoint recorded by an earlier read',
  rescan: 'decoding its layer from the start',
  'estargz-toc': 'decoding just its gzip member(s), found in the estargz TOC',
};

const CHECK: Record<ContentCheck, string> = {
  'whole-file': 'whole file matches the hash of the first pass',
  'member-crc': 'gzip CRC-32 matched',
  'frame-checksum': 'zstd frame decoded to its end',
  'chunk-digest': 'sha256 of every chunk read matches the estargz TOC',
  none: 'not checked (part of a large file)',
};

/** Text-like types drawn as text (a script is text with a #! line; SVG is shown as an image). */
const AS_TEXT = new Set<ContentType>(['text', 'shebang-script']);

export function FileContents({ target, details, onFollow }: { target: FileTarget; details: NodeDetails; onFollow: (path: string) => void }) {
  // A path this layer removed (layerOnly view): the engine reads the copy below (removedBy).
  const removedHere = target.view.mode === 'layerOnly' && details.type !== 'd'
    && details.history.some((h) => h.layer === target.view.layer && h.change === 'removed');
  if (details.type === 'l' && !removedHere) return <SymlinkContents target={target} linkTarget={details.linkTarget ?? ''} onFollow={onFollow} />;
  if (details.type !== '-' && details.type !== 'h' && !removedHere) return null;
  return <ReadContents key={JSON.stringify(target)} target={target} details={details} onFollow={onFollow} />;
}

function ReadContents({ target, details, onFollow }: { target: FileTarget; details: NodeDetails; onFollow: (path: string) => void }) {
  const read = useFileRead(target, PREVIEW_BYTES);
  const c = read.content;
  return (
    <section className="contents" data-testid="contents">
      <h3>Contents</h3>
      {details.type === 'h' && details.linkTarget !== undefined && (
        <p className="file-note" data-testid="contents.hardlink">
          Hard link to <button className="link mono" onClick={() => onFollow(details.linkTarget!)}>/{details.linkTarget}</button>: the same bytes.
        </p>
      )}
      {c?.removedBy !== undefined && (
        <p className="file-note" data-testid="contents.removed">
          Removed by layer {c.removedBy}. Showing the copy from layer {c.from.layer} below it.
        </p>
      )}
      {c && <ContentFacts c={c} />}
      {c?.note && <p className="file-note" data-testid="contents.note">{c.note}</p>}
      <ReadStatus read={read} />
      {c && <ContentBody c={c} read={read} name={target.path.split('/').pop() ?? target.path} />}
      {c && (
        <div className="contents-actions">
          <SaveButton target={target} kind="file" name={target.path.split('/').pop() || 'file'} size={c.size} />
        </div>
      )}
    </section>
  );
}

function ContentFacts({ c }: { c: FileContent }) {
  return (
    <dl className="kv">
      <dt>Content</dt><dd data-testid="contents.type">{CONTENT_TYPE_NAMES[c.type] ?? c.type}</dd>
      {c.sha256 && <><dt>SHA-256</dt><dd className="mono break" data-testid="contents.sha256">{c.sha256.replace(/^sha256:/, '')}</dd></>}
      <dt>Read by</dt>
      <dd data-testid="contents.how">
        {HOW[c.how]}{c.from.layer >= 0 ? ` (layer ${c.from.layer})` : ''}
        <span className="muted">: {formatBytes(c.cost.storedBytes)} read{c.cost.skippedBytes > 0 ? `, ${formatBytes(c.cost.skippedBytes)} decoded to reach it` : ''}; {CHECK[c.check]}</span>
      </dd>
    </dl>
  );
}

function ReadStatus({ read }: { read: FileRead }) {
  if (read.error) {
    return <p className="error-text" role="alert" data-testid="contents.error">{read.error} <button className="link" onClick={read.retry}>Try again</button></p>;
  }
  if (read.cancelled) return <p className="muted" data-testid="contents.cancelled">Reading was cancelled. <button className="link" onClick={read.retry}>Read it</button></p>;
  if (!read.busy) return null;
  const p = read.progress;
  return (
    <div className="contents-progress" data-testid="contents.progress">
      <span>{p ? `Decoding the layer: ${formatBytes(p.done)} of ${formatBytes(p.total)}` : 'Reading…'}</span>
      {p && <span className="bar small"><span className="bar-fill" style={{ width: `${p.total > 0 ? (100 * p.done) / p.total : 0}%` }} /></span>}
      <button className="ghost small" onClick={read.cancel} data-testid="contents.cancel">Cancel</button>
    </div>
  );
}

function ContentBody({ c, read, name }: { c: FileContent; read: FileRead; name: string }) {
  const [hexShown, setHexShown] = useState(HEX_BYTES);
  const held = c.bytes.length;
  const whole = c.offset + held >= c.size;
  if (c.size === 0) return <p className="muted" data-testid="contents.empty">The file is empty.</p>;
  if (isImage(c.type) && c.size <= IMAGE_MAX) {
    return whole ? <ImageView bytes={c.bytes} type={c.type} name={name} /> : <ReadRest read={read} rest={c.size - held} />;
  }
  const more = (
    <p className="muted contents-more">
      Showing {formatBytes(AS_TEXT.has(c.type) ? held : Math.min(hexShown, held))} of {formatBytes(c.size)}.{' '}
    </p>
  );
  if (AS_TEXT.has(c.type)) {
    const canMore = !whole && held < PREVIEW_MAX;
    return (
      <>
        <TextView bytes={c.bytes} encoding={c.encoding} complete={whole} />
        {!whole && (
          <div className="contents-more-row">{more}
            {canMore ? <button className="ghost small" disabled={read.busy} onClick={() => read.more(Math.min(held * 3, PREVIEW_MAX - held))} data-testid="contents.more">Show more</button>
              : <span className="muted">Download it to see the rest.</span>}
          </div>
        )}
      </>
    );
  }
  const shown = c.bytes.subarray(0, hexShown);
  const canMore = hexShown < c.size && hexShown < PREVIEW_MAX;
  return (
    <>
      <HexView bytes={shown} offset={c.offset} />
      {hexShown < c.size && (
        <div className="contents-more-row">{more}
          {canMore && <button className="ghost small" disabled={read.busy} data-testid="contents.more" onClick={() => {
            const next = Math.min(hexShown * 4, PREVIEW_MAX);
            setHexShown(next);
            if (next > held) read.more(next - held);
          }}>Show more</button>}
        </div>
      )}
    </>
  );
}

/** An image is shown whole or not at all: this reads the rest of it, once. */
function ReadRest({ read, rest }: { read: FileRead; rest: number }) {
  const { more } = read;
  useEffect(() => more(rest), [more, rest]);
  return null;
}

function SymlinkContents({ target, linkTarget, onFollow }: { target: FileTarget; linkTarget: string; onFollow: (path: string) => void }) {
  const resolved = resolveLink(target.path, linkTarget);
  return (
    <section className="contents" data-testid="contents">
      <h3>Contents</h3>
      <p className="file-note" data-testid="contents.symlink">
        Symlink to <span className="mono">{linkTarget}</span>.{' '}
        {resolved !== null && <button className="link" onClick={() => onFollow(resolved)} data-testid="contents.follow">Open /{resolved}</button>}
      </p>
    </section>
  );
}
