// The page: a top bar with the always-present file inputs, then the landing page or the explorer.
import { useEffect, useRef, useState } from 'react';
import { closeArchive, openFiles, useLoadStore } from '../store/load-store';
import { Explorer } from './explorer/explorer';
import { Landing } from './landing/landing';
import { filesFromDrop, filesFromFolderInput } from './landing/read-drop';
import { RegistryBar } from './landing/registry-bar';
import { ThemeToggle } from './theme';

export function App() {
  const status = useLoadStore((s) => s.status);
  const fileNames = useLoadStore((s) => s.fileNames);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const open = status !== 'idle';

  useEffect(() => {
    folderInput.current?.setAttribute('webkitdirectory', '');
  }, []);

  return (
    <div className="app"
      onDragOver={(e) => { if (open) { e.preventDefault(); setDragging(true); } }}
      onDragLeave={(e) => { if (e.currentTarget === e.target) setDragging(false); }}
      onDrop={(e) => {
        if (!open) return;
        e.preventDefault();
        setDragging(false);
        void filesFromDrop(e.dataTransfer).then((f) => { if (f.length > 0) void openFiles(f); });
      }}>
      <header className="topbar">
        <button className="brand" onClick={closeArchive} title="Back to the start page" data-testid="app.home">
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden><path d="M12 3 3 7.5l9 4.5 9-4.5L12 3Z M3 12l9 4.5 9-4.5 M3 16.5 12 21l9-4.5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinejoin="round" /></svg>
          Strata
        </button>
        {open && <span className="topbar-file mono" title={fileNames.join('\n')} data-testid="app.file-name">{fileNames.length > 3 ? `${fileNames.length} files` : fileNames.join(', ')}</span>}
        <span className="spacer" />
        <span className="topbar-note muted">Runs locally · nothing is uploaded</span>
        {open && <button className="ghost" onClick={() => fileInput.current?.click()} data-testid="app.open">Open…</button>}
        <ThemeToggle />
        <input ref={fileInput} type="file" multiple hidden data-testid="open.file-input"
          onChange={(e) => { const f = [...(e.target.files ?? [])]; e.target.value = ''; if (f.length) void openFiles(f); }} />
        <input ref={folderInput} type="file" multiple hidden data-testid="open.folder-input"
          onChange={(e) => { const f = filesFromFolderInput(e.target.files!); e.target.value = ''; if (f.length) void openFiles(f); }} />
      </header>
      {open && <RegistryBar />}
      {open ? <Explorer /> : <Landing onPickFiles={() => fileInput.current?.click()} onPickFolder={() => folderInput.current?.click()} />}
      {dragging && <div className="drop-overlay" aria-hidden>Drop to open</div>}
    </div>
  );
}
