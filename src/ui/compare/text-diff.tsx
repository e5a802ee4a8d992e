// A changed file in compare mode (issue #15): both versions read through `fileContent` (final
// view of A and of B, up to DIFF_BYTES each) and, when both are text, a unified line diff (jsdiff,
// core/contents/line-diff.ts, run by the engine's `lineDiff` query so a large diff never holds up
// the page) drawn as a virtualised list. Binary files say how they differ (size, hash).
import { useEffect, useMemo, useState } from 'react';
import { isAbort, messageOf, queryEngine } from '../../store/engine';
import type { ImageId } from '../../core/types';
import type { FileContent } from '../../core/contents/types';
import { clipLine, decodeText } from '../../core/contents/text-lines';
import { useFileRead, type FileRead } from '../details/use-file-read';
import { VirtualRows } from '../details/virtual-rows';
import { CONTENT_TYPE_NAMES } from '../details/file-contents';
import { formatBytes } from '../format';
import { DIFF_BYTES, withContext, type LineDiff } from '../../core/contents/line-diff';

const FINAL = { mode: 'final', layer: -1 } as const;
const AS_TEXT = new Set(['text', 'shebang-script', 'empty']);

export function TextDiff({ a, b, path }: { a: ImageId; b: ImageId; path: string }) {
  const ra = useFileRead({ imageId: a, view: FINAL, path }, DIFF_BYTES);
  const rb = useFileRead({ imageId: b, view: FINAL, path }, DIFF_BYTES);
  return (
    <section className="compare-diff" data-testid="compare.diff">
      <h3>Contents <span className="muted">A → B</span></h3>
      <Status r={ra} side="A" />
      <Status r={rb} side="B" />
      {ra.content && rb.content && <DiffBody a={ra.content} b={rb.content} />}
    </section>
  );
}

function Status({ r, side }: { r: FileRead; side: string }) {
  if (r.error) return <p className="compare-error" role="alert">{side}: {r.error} <button className="link" onClick={r.retry}>Try again</button></p>;
  if (r.cancelled) return <p className="muted">{side}: cancelled. <button className="link" onClick={r.retry}>Read it</button></p>;
  if (!r.busy) return null;
  return (
    <p className="muted" data-testid="compare.diff.progress">
      Reading {side}{r.progress ? `: decoding its layer, ${formatBytes(r.progress.done)} of ${formatBytes(r.progress.total)}` : '…'}{' '}
      <button className="ghost small" onClick={r.cancel}>Cancel</button>
    </p>
  );
}

function DiffBody({ a, b }: { a: FileContent; b: FileContent }) {
  const text = AS_TEXT.has(a.type) && AS_TEXT.has(b.type);
  const cut = a.bytes.length < a.size || b.bytes.length < b.size;
  const diff = useLineDiff(a, b, text);
  if (!text) {
    return (
      <p data-testid="compare.diff.binary">
        The files are not both text ({CONTENT_TYPE_NAMES[a.type]} → {CONTENT_TYPE_NAMES[b.type]}):
        {' '}{formatBytes(a.size)} → {formatBytes(b.size)}
        {a.sha256 && b.sha256 ? <>, SHA-256 <span className="mono">{a.sha256.slice(7, 19)}…</span> → <span className="mono">{b.sha256.slice(7, 19)}…</span></> : ''}.
      </p>
    );
  }
  if (diff === undefined) return <p className="muted" data-testid="compare.diff.busy">Comparing the lines…</p>;
  if (typeof diff === 'string') return <p className="compare-error" role="alert">The line diff failed: {diff}</p>;
  if (diff === null) return <p className="muted" data-testid="compare.diff.toobig">The two versions differ in too many lines for a line diff; download them to compare.</p>;
  return <DiffRows diff={diff} cut={cut} />;
}

/** The engine's line diff of the two texts: undefined while it works, a message if it failed. */
function useLineDiff(a: FileContent, b: FileContent, text: boolean): LineDiff | null | string | undefined {
  const [state, setState] = useState<{ a: FileContent; b: FileContent; diff: LineDiff | null | string } | null>(null);
  useEffect(() => {
    if (!text) return;
    const controller = new AbortController();
    const ta = decodeText(a.bytes, a.encoding, a.bytes.length >= a.size).text;
    const tb = decodeText(b.bytes, b.encoding, b.bytes.length >= b.size).text;
    queryEngine({ kind: 'lineDiff', a: ta, b: tb }, controller.signal).then(
      (diff) => setState({ a, b, diff }),
      (e: unknown) => { if (!isAbort(e)) setState({ a, b, diff: messageOf(e) }); },
    );
    return () => controller.abort();
  }, [a, b, text]);
  return state && state.a === a && state.b === b ? state.diff : undefined;
}

const lines = (n: number) => `${n} ${n === 1 ? 'line' : 'lines'}`;

function DiffRows({ diff, cut }: { diff: LineDiff; cut: boolean }) {
  const rows = useMemo(() => withContext(diff.rows), [diff]);
  const digits = String(Math.max(1, diff.rows.length)).length;
  const w = { width: `${digits + 1}ch` };
  return (
    <>
      <p className="muted" data-testid="compare.diff.summary">
        {diff.added === 0 && diff.removed === 0 ? 'The text is the same' : `${lines(diff.added)} added, ${lines(diff.removed)} removed`}
        {cut ? ` in the first ${formatBytes(DIFF_BYTES)} of each` : ''}.
      </p>
      {rows.length > 0 && (
        <VirtualRows count={rows.length} testId="compare.diff.rows" className="diff-view" row={(i) => {
          const r = rows[i]!;
          if ('gap' in r) return <span className="diff-row d-gap">⋯ {r.gap} unchanged lines</span>;
          const cls = r.sign === '+' ? 'd-add' : r.sign === '-' ? 'd-del' : '';
          return (
            <span className={`diff-row ${cls}`} data-testid="compare.diff.line" data-sign={r.sign}>
              <span className="ln" style={w}>{r.a ?? ''}</span>
              <span className="ln" style={w}>{r.b ?? ''}</span>
              <span className="sign">{r.sign}</span>
              <span className="line">{clipLine(r.text).shown}</span>
            </span>
          );
        }} />
      )}
    </>
  );
}
