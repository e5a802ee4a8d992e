// The largest files and directories of the final filesystem, each a link into the tree.
import { layerColor } from '../viz/treemap-palette';
import { formatBytes, formatCount } from '../format';
import type { ImageId } from '../../core/types';
import { useEngineQuery } from '../use-engine-query';
import { useViewStore } from '../view-context';
import { revealInTree } from './reveal';
import type { DescribeLayer } from './size-view';

const LIMIT = 12;

export function LargestLists({ imageId, version, describe }: { imageId: ImageId; version: number; describe: DescribeLayer }) {
  const q = useEngineQuery('largest', { imageId, limit: LIMIT }, version);
  const view = useViewStore();
  const files = q.data?.files ?? [];
  const dirs = q.data?.dirs ?? [];
  const maxFile = files[0]?.size ?? 1;
  const maxDir = dirs[0]?.size ?? 1;
  return (
    <section className="size-section size-largest" aria-label="Largest files and directories">
      <div>
        <h3>Largest files</h3>
        <ul className="plain largest-list">
          {files.map((f) => (
            <Row key={f.path} path={f.path} size={f.size} max={maxFile} testId="size.largest-file" title={`/${f.path}\n${describe(f.layer)}`}
              onClick={() => revealInTree(view, f.path)} swatch={layerColor(f.layer)} sub={`layer ${f.layer}`} />
          ))}
        </ul>
        {q.data && files.length === 0 && <p className="muted">No regular files.</p>}
      </div>
      <div>
        <h3>Largest directories</h3>
        <ul className="plain largest-list">
          {dirs.map((d) => (
            <Row key={d.path} path={d.path} size={d.size} max={maxDir} testId="size.largest-dir" title={`/${d.path}`}
              onClick={() => revealInTree(view, d.path, { expand: true })} sub={`${formatCount(d.files)} files`} />
          ))}
        </ul>
        {q.data && dirs.length === 0 && <p className="muted">No directories.</p>}
      </div>
      {q.error && <p className="size-error">{q.error}</p>}
    </section>
  );
}

/**
 * Name first (it is what differs), then the directory it is in: long prefixes only cost the tail.
 * `path` is bare; it is shown, and named in `data-path`, with its leading '/'.
 */
function Row({ path, size, max, testId, title, onClick, swatch, sub }: {
  path: string; size: number; max: number; testId: string; title: string; onClick: () => void; swatch?: string; sub: string;
}) {
  const shown = `/${path}`;
  const slash = shown.lastIndexOf('/');
  const dir = shown.slice(0, slash + 1);
  return (
    <li>
      <button className="largest-row" data-testid={testId} data-path={shown} title={title} onClick={onClick}>
        <span className="largest-bar" style={{ width: `${Math.max(1, (size / max) * 100)}%` }} aria-hidden />
        <span className="largest-name">
          {swatch && <span className="tm-swatch" style={{ background: swatch }} aria-hidden />}
          <span className="largest-base">{shown.slice(slash + 1) || '/'}</span>
        </span>
        <span className="largest-size">{formatBytes(size)}</span>
        <span className="largest-sub"><span className="largest-dir">{dir}</span><span className="largest-note">{sub}</span></span>
      </button>
    </li>
  );
}
