// "Download" (a file) and "Save as tar" (a directory): streamed through the engine in chunks
// (save.ts), with how far it is and a Cancel while it runs. Selecting another path does not stop
// a save the user asked for; Cancel does.
import { useEffect, useRef, useState } from 'react';
import { isAbort, messageOf } from '../../store/engine';
import { formatBytes, formatCount } from '../format';
import { saveDirectory, saveFile, type SaveProgress } from './save';
import type { FileTarget } from './use-file-read';

export function SaveButton({ target, kind, name, size }: { target: FileTarget; kind: 'file' | 'dir'; name: string; size?: number }) {
  const [progress, setProgress] = useState<SaveProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);

  const start = () => {
    const c = new AbortController();
    controller.current = c;
    setError(null);
    setProgress({ files: 0, bytes: 0 });
    const run = kind === 'file' ? saveFile(target, name, size ?? 0, c.signal, setProgress) : saveDirectory(target, name, size, c.signal, setProgress);
    run.catch((e: unknown) => { if (!isAbort(e)) setError(messageOf(e)); })
      .finally(() => { if (controller.current === c) { controller.current = null; setProgress(null); } });
  };
  const cancel = () => {
    controller.current?.abort();
    controller.current = null;
    setProgress(null);
  };

  const label = kind === 'file' ? 'Download' : 'Save as tar';
  return (
    <div className="save-row">
      {progress === null
        ? <button className="small" onClick={start} data-testid={kind === 'file' ? 'contents.download' : 'contents.save-tar'}>{label}</button>
        : (
          <>
            <span className="muted" data-testid="contents.saving">
              Saving{kind === 'dir' ? ` ${formatCount(progress.files)} entries,` : ''} {formatBytes(progress.bytes)}
              {progress.totalBytes !== undefined ? ` of ${formatBytes(progress.totalBytes)}` : ''}
            </span>
            <button className="ghost small" onClick={cancel} data-testid="contents.save-cancel">Cancel</button>
          </>
        )}
      {error && <span className="error-text" role="alert" data-testid="contents.save-error">{error}</span>}
    </div>
  );
}
