// The opening page: drop zone, file and folder pickers, the registry box and the demo images.
import { useEffect, useState } from 'react';
import { getVerifyDigests, openFiles, setVerifyDigests } from '../../store/load-store';
import { COMPARE_DEMO, fetchDemo, landsOnSize, listDemos, MAIN_DEMO, type DemoImage } from './demo';
import { filesFromDrop } from './read-drop';
import { RegistryBox } from './registry-box';

interface Props { onPickFiles: () => void; onPickFolder: () => void }

export function Landing({ onPickFiles, onPickFolder }: Props) {
  const [over, setOver] = useState(false);
  const [demos, setDemos] = useState<DemoImage[]>([]);
  const [demoState, setDemoState] = useState<string | null>(null);

  useEffect(() => {
    void listDemos().then(setDemos);
  }, []);

  // `npm start` opens the page at #demo: the demo is open and ready to explore, no click needed.
  useEffect(() => {
    const first = demos.find((d) => d.file === MAIN_DEMO) ?? demos[0];
    if (first && window.location.hash === '#demo') {
      history.replaceState(null, '', window.location.pathname + window.location.search);
      void openDemo(first);
    }
    // openDemo is recreated each render; the effect runs when the demo list arrives.
  }, [demos]);

  const openDemo = async (d: DemoImage) => {
    setDemoState(`Fetching ${d.file}…`);
    try {
      await openFiles([await fetchDemo(d.file)], { landOn: landsOnSize(d) ? 'size' : 'files' });
      setDemoState(null);
    } catch (e) {
      setDemoState(e instanceof Error ? e.message : String(e));
    }
  };

  // Compare mode reads `#compare` when the explorer mounts; the first two images are v1 and v2.
  const openCompareDemo = async () => {
    const d = demos.find((x) => x.file === COMPARE_DEMO);
    if (!d) return;
    history.replaceState(null, '', `${window.location.pathname}${window.location.search}#compare`);
    await openDemo(d);
  };

  // Both ML images open first: v1's "Why so large", with v2 branching off in the layer graph.
  const main = demos.find((d) => d.file === MAIN_DEMO) ?? demos[0];
  const rest = demos.filter((d) => d !== main);
  return (
    <main className="landing">
      <section className="hero">
        <h1>See inside a container image</h1>
        <p className="lede">
          Drop a <code>docker save</code> archive or an OCI image layout. Strata reads it right here in your
          browser — nothing is uploaded — and shows the layers, the merged filesystem, and where the bytes go.
        </p>
      </section>
      <div
        className={`dropzone${over ? ' over' : ''}`}
        data-testid="open.dropzone"
        onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; setOver(true); }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          void filesFromDrop(e.dataTransfer).then((files) => { if (files.length > 0) void openFiles(files); });
        }}
      >
        <div className="dz-icon" aria-hidden>
          <svg viewBox="0 0 48 48" width="48" height="48"><path d="M24 6 6 15l18 9 18-9-18-9Z M6 24l18 9 18-9 M6 33l18 9 18-9" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinejoin="round" /></svg>
        </div>
        <p className="dz-title">Drop an image archive or an OCI layout folder here</p>
        <p className="muted">.tar from <code>docker save</code>, <code>podman save</code>, kaniko or <code>skopeo copy oci-archive:</code>; gzip and zstd layers</p>
        <div className="dz-buttons">
          <button className="primary" onClick={onPickFiles} data-testid="open.pick-files">Choose files…</button>
          <button onClick={onPickFolder} data-testid="open.pick-folder">Choose a folder…</button>
        </div>
        <VerifyToggle />
      </div>
      <div className="landing-grid">
        <section className="card-block">
          <h2>Try the demo</h2>
          {main && <p className="muted" data-testid="demo.about">{main.description}</p>}
          {main && (
            <button className="primary wide" onClick={() => void openDemo(main)} data-testid="open.demo">
              Open the demo <span className="muted-on-primary">({main.title})</span>
            </button>
          )}
          <ul className="plain demo-more">
            {demos.some((d) => d.file === COMPARE_DEMO) && (
              <li>
                <button data-testid="compare.demo" onClick={() => void openCompareDemo()}>Compare v1 and v2</button>
                <span className="muted">What v2 changed: numpy upgraded, safetensors added, no pip cache, the weights in a volume, a new Cmd and port.</span>
              </li>
            )}
            {rest.map((d) => (
              <li key={d.file}>
                <button onClick={() => void openDemo(d)} data-testid={`open.demo.${d.file.replace(/\.tar$/, '')}`}>{d.title}</button>
                {d.description && <span className="muted">{d.description}</span>}
              </li>
            ))}
          </ul>
          {demoState && <p className="muted" role="status">{demoState}</p>}
        </section>
        <RegistryBox />
      </div>
      <footer className="landing-foot muted">
        Keys: <kbd>↑</kbd><kbd>↓</kbd> layers and files · <kbd>←</kbd><kbd>→</kbd> fold · <kbd>Space</kbd> toggle · <kbd>/</kbd> filter
      </footer>
    </main>
  );
}

/** Digest checks cost the most time on big gzip images; users who only browse can skip them. */
function VerifyToggle() {
  const [on, setOn] = useState(getVerifyDigests());
  return (
    <label className="muted verify-toggle">
      <input
        type="checkbox"
        checked={on}
        data-testid="open.verify"
        onChange={(e) => { setVerifyDigests(e.target.checked); setOn(e.target.checked); }}
      />{' '}
      Check every layer against its sha256 digests (slower on large images)
    </label>
  );
}
