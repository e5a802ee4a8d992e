// The first bytes of the selected file, read through the engine's `fileContent` query, and more on
// request ("show more" appends the next window instead of reading from the start again). A new
// selection aborts the read in progress (in the worker too: a rescan stops); a long read reports
// how far it is; the user can cancel one and ask again.
import { useCallback, useEffect, useRef, useState } from 'react';
import { isAbort, messageOf, queryEngine } from '../../store/engine';
import type { ImageId } from '../../core/types';
import type { ContentProgress, FileContent, View } from '../../workers/protocol';

export interface FileTarget { imageId: ImageId; view: View; path: string }

export interface FileRead {
  /** What has been read so far: the first answer, with `bytes` grown by every later window. */
  content: FileContent | null;
  error: string | null;
  /** A read is on its way (the first window or "show more"). */
  busy: boolean;
  progress: ContentProgress | null;
  cancelled: boolean;
  /** Reads `length` more bytes after those held (up to the file's end). */
  more(length: number): void;
  cancel(): void;
  retry(): void;
}

export function useFileRead(target: FileTarget | null, first: number): FileRead {
  const key = target ? JSON.stringify([target.imageId, target.view.mode, target.view.layer, target.path]) : null;
  const [content, setContent] = useState<FileContent | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<ContentProgress | null>(null);
  const [cancelled, setCancelled] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const controller = useRef<AbortController | null>(null);
  const held = useRef<{ key: string | null; content: FileContent | null }>({ key: null, content: null });
  const current = useRef(target);
  current.current = target;

  const read = useCallback((t: FileTarget, k: string, offset: number, length: number) => {
    controller.current?.abort();
    const c = new AbortController();
    controller.current = c;
    setBusy(true);
    setProgress(null);
    setCancelled(false);
    queryEngine({ kind: 'fileContent', ...t, offset, length }, c.signal, (p) => { if (!c.signal.aborted) setProgress(p); })
      .then((answer) => {
        if (held.current.key !== k) return;
        const prev = held.current.content;
        const next = prev && offset > 0 ? { ...answer, offset: prev.offset, bytes: concat(prev.bytes, answer.bytes), type: prev.type, encoding: prev.encoding } : answer;
        held.current.content = next;
        setContent(next);
        setError(null);
      })
      .catch((e: unknown) => {
        if (isAbort(e) || held.current.key !== k) return;
        setError(messageOf(e));
      })
      .finally(() => {
        if (controller.current === c) { setBusy(false); setProgress(null); controller.current = null; }
      });
  }, []);

  useEffect(() => {
    held.current = { key, content: null };
    setContent(null);
    setError(null);
    const t = current.current;
    if (!key || !t) return;
    read(t, key, 0, first);
    return () => controller.current?.abort();
    // `key` is the target serialised; `attempt` asks again after a cancel or an error.
  }, [key, first, attempt, read]);

  const more = useCallback((length: number) => {
    const c = held.current.content;
    const t = current.current;
    if (!t || !key || !c || controller.current) return;
    const end = c.offset + c.bytes.length;
    if (end < c.size) read(t, key, end, length);
  }, [key, read]);

  const cancel = useCallback(() => {
    controller.current?.abort();
    controller.current = null;
    setBusy(false);
    setProgress(null);
    setCancelled(true);
  }, []);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { content, error, busy, progress, cancelled, more, cancel, retry };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
