// The three ways a file's bytes are shown: text with line numbers, a hex dump, an image. Text is
// rendered as text only (archives are hostile: no HTML from a file ever reaches innerHTML), and an
// image only through a blob: URL in an <img>, where a crafted SVG runs no script.
import { useEffect, useMemo, useState } from 'react';
import type { ContentType, TextEncoding } from '../../core/contents/types';
import { clipLine, decodeText, hexRow, splitLines } from '../../core/contents/text-lines';
import { VirtualRows } from './virtual-rows';
import { formatCount } from '../format';

export function TextView({ bytes, encoding, complete }: { bytes: Uint8Array; encoding?: TextEncoding; complete: boolean }) {
  const { lines, note } = useMemo(() => {
    const d = decodeText(bytes, encoding, complete);
    return { lines: splitLines(d.text), note: d.note };
  }, [bytes, encoding, complete]);
  const digits = String(lines.length).length;
  return (
    <>
      {note && <p className="muted file-note" data-testid="contents.encoding">{note}</p>}
      <VirtualRows count={lines.length} testId="contents.text" className="text-view" row={(i) => {
        const { shown, more } = clipLine(lines[i]!);
        return (
          <>
            <span className="ln" style={{ width: `${digits + 1}ch` }}>{i + 1}</span>
            <span className="line" data-testid="contents.line">{shown}</span>
            {more > 0 && <span className="muted"> … {formatCount(more)} more characters</span>}
          </>
        );
      }} />
    </>
  );
}

export function HexView({ bytes, offset }: { bytes: Uint8Array; offset: number }) {
  return (
    <VirtualRows count={Math.ceil(bytes.length / 16)} testId="contents.hex" className="hex-view" row={(i) => {
      const r = hexRow(bytes, i * 16, offset);
      return <><span className="ln">{r.offset}</span><span className="hex" data-testid="contents.hex.row">{r.hex}</span><span className="ascii">{r.ascii}</span></>;
    }} />
  );
}

const MIME: Partial<Record<ContentType, string>> = {
  png: 'image/png', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml', ico: 'image/x-icon', bmp: 'image/bmp',
};

export function isImage(type: ContentType): boolean {
  return MIME[type] !== undefined;
}

export function ImageView({ bytes, type, name }: { bytes: Uint8Array; type: ContentType; name: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const [broken, setBroken] = useState(false);
  useEffect(() => {
    const u = URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: MIME[type] ?? 'application/octet-stream' }));
    setUrl(u);
    setBroken(false);
    return () => URL.revokeObjectURL(u);
  }, [bytes, type]);
  const [size, setSize] = useState<string | null>(null);
  if (broken) return <p className="error-text" data-testid="contents.image.error">The image could not be decoded.</p>;
  return (
    <figure className="image-view">
      {url && <img src={url} alt={name} data-testid="contents.image"
        onLoad={(e) => setSize(`${e.currentTarget.naturalWidth} × ${e.currentTarget.naturalHeight}`)} onError={() => setBroken(true)} />}
      {size && <figcaption className="muted" data-testid="contents.image.size">{size} pixels</figcaption>}
    </figure>
  );
}
