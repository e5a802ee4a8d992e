// Findings: bytes a different Dockerfile would not ship, largest first, each with its layer and
// step, the paths (links into the tree) and the fix. The selected one (the pane's `finding`) is
// highlighted; a pane that lands on LARGEST_FINDING (the demo) selects the largest and scrolls to it.
import { Fragment, useEffect, useRef, useState } from 'react';
import type { Finding, FindingKind } from '../../core/findings/types';
import type { ImageId } from '../../core/types';
import { LARGEST_FINDING } from '../../store/view-store';
import { layerColor } from '../viz/treemap-palette';
import { formatBytes, formatCount, trimCommand } from '../format';
import { useView, useViewActions, useViewStore } from '../view-context';
import { revealInTree } from './reveal';
import type { DescribeLayer } from './size-view';

export const FINDING_TITLES: Record<FindingKind, string> = {
  'apt-cache': 'apt lists and cached .debs',
  'pip-cache': 'pip cache',
  'conda-pkgs': 'conda package cache',
  'npm-cache': 'npm cache',
  pycache: 'Python bytecode (__pycache__)',
  'removed-later': 'Written, then removed by a later layer',
  'duplicate-content': 'Duplicate content',
  'model-weights': 'Model weights in the image',
  'build-tools': 'Build tools left in the image',
  'static-libs': 'Static libraries and headers',
  'uv-cache': 'uv cache',
  'stray-wheels': 'Wheels left after installing',
  'cuda-duplicate': 'CUDA shipped twice (wheels and system)',
  'cuda-devel': 'CUDA development files in a runtime image',
  'gpu-unused': 'GPU libraries, no sign of GPU use (heuristic)',
  'package-twice': 'Package installed twice',
  'deps-after-code': 'Dependencies installed after the code is copied',
  'large-after-code': 'A large layer above the code it does not use (heuristic)',
};

/** The fix text marks commands and paths with backticks: show those as code, as text (never HTML). */
function FixText({ text }: { text: string }) {
  const parts = text.split('`');
  return <>{parts.map((p, i) => (i % 2 === 1 ? <code key={i}>{p}</code> : <Fragment key={i}>{p}</Fragment>))}</>;
}

/** A finding's identity within its image: two findings of one kind and layer differ in their paths. */
function findingKey(imageId: ImageId | null, f: Finding): string {
  return `${imageId ?? ''} ${f.kind} ${f.layer} ${f.paths[0] ?? ''}`;
}

interface ListProps {
  findings: Finding[] | undefined; error: string | null; describe: DescribeLayer;
  /** The layout above has settled: a scroll to the largest finding lands where it stays. */
  settled: boolean;
}

export function FindingsList({ findings, error, describe, settled }: ListProps) {
  // Savings first, then the layer-caching findings (bytes rebuilt per code change, not saved).
  const sorted = findings ? [...findings].sort((a, b) => Number(!!a.rebuilt) - Number(!!b.rebuilt) || b.bytes - a.bytes) : undefined;
  const imageId = useView((s) => s.imageId);
  const selected = useView((s) => s.finding);
  const { selectFinding } = useViewActions();
  const section = useRef<HTMLElement>(null);
  const largest = sorted?.[0] ? findingKey(imageId, sorted[0]) : undefined;
  useEffect(() => {
    if (selected !== LARGEST_FINDING || !largest || !settled) return;
    selectFinding(largest);
    // The section's heading at the top of the view, the largest finding right below it.
    section.current?.scrollIntoView({ block: 'start' });
  }, [selected, largest, settled, selectFinding]);
  return (
    <section className="size-section" aria-label="Findings" ref={section}>
      <header className="size-head">
        <h3>Findings</h3>
        <span className="muted size-head-note">{sorted ? (sorted.length ? 'what a different Dockerfile would not ship' : '') : '…'}</span>
      </header>
      {sorted && sorted.length === 0 && <p className="muted size-note">Nothing to fix: no caches, leftovers or duplicates found.</p>}
      <ol className="plain findings">
        {sorted?.map((f, i) => {
          const key = findingKey(imageId, f);
          return <FindingRow key={`${f.kind}-${f.layer}-${i}`} f={f} describe={describe}
            selected={key === selected || (i === 0 && selected === LARGEST_FINDING)} onSelect={() => selectFinding(key)} />;
        })}
      </ol>
      {error && <p className="size-error">{error}</p>}
    </section>
  );
}

interface RowProps { f: Finding; describe: DescribeLayer; selected: boolean; onSelect: () => void }

function FindingRow({ f, describe, selected, onSelect }: RowProps) {
  const [open, setOpen] = useState(false);
  const view = useViewStore();
  const paths = open ? f.paths : f.paths.slice(0, 3);
  const step = f.step ? trimCommand(f.step) : undefined;
  return (
    // A click anywhere in the finding selects it; its path links also open the tree.
    <li className={`finding${f.rebuilt ? ' rebuilt' : ''}${selected ? ' is-selected' : ''}`} data-testid="findings.row" data-kind={f.kind}
      aria-current={selected ? 'true' : undefined} onClick={onSelect}>
      <div className="finding-head">
        <span className={`finding-kind k-${f.kind}`}>{f.kind}</span>
        <span className="finding-title">{FINDING_TITLES[f.kind] ?? f.kind}</span>
        <span className="spacer" />
        <span className="muted finding-files">{formatCount(f.files)} file{f.files === 1 ? '' : 's'}</span>
        <span className="finding-bytes" data-testid="findings.bytes"
          title={f.rebuilt ? 'Bytes every code change rebuilds and re-ships (not saved in the image)' : 'Bytes this fix would save'}>
          {formatBytes(f.bytes)}{f.rebuilt && <span className="muted finding-per"> rebuilt per code change</span>}
        </span>
      </div>
      <div className="finding-layer">
        <span className="tm-swatch" style={{ background: layerColor(f.layer) }} aria-hidden />
        <span className="finding-layer-n">layer {f.layer}</span>
        {step && <code className="finding-step" title={step}>{step}</code>}
        {f.removedBy !== undefined && <span className="muted finding-by" title={describe(f.removedBy)}>removed by layer {f.removedBy}</span>}
        {f.codeLayer !== undefined && <span className="muted finding-by" data-testid="findings.code" title={describe(f.codeLayer)}>after the code copied by layer {f.codeLayer}</span>}
      </div>
      <ul className="plain finding-paths">
        {paths.map((p) => (
          <li key={p}><button className="link mono" onClick={() => revealInTree(view, p, f.kind === 'removed-later' ? { layer: f.layer } : {})} title="Show in the filesystem tree">/{p}</button></li>
        ))}
        {!open && f.paths.length > 3 && (
          <li><button className="link muted" onClick={() => setOpen(true)}>+ {f.paths.length - 3} more</button></li>
        )}
        {open && f.files > f.paths.length && <li className="muted">… and {formatCount(f.files - f.paths.length)} smaller files</li>}
      </ul>
      <p className="finding-fix"><span className="finding-fix-label">Fix</span> <FixText text={f.fix} /></p>
    </li>
  );
}
