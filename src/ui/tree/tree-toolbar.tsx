// Controls of the filesystem tree: view mode, change-kind toggles, path filter, size filter, sort,
// expand/collapse all.
import { useEffect, useState } from 'react';
import type { ChangeName } from '../../workers/protocol';
import { useView, useViewActions, useViewStore } from '../view-context';

const MODES = [
  { mode: 'layerOnly', label: 'This layer', title: 'Only what the selected layer changed' },
  { mode: 'upTo', label: 'Up to layer', title: 'The filesystem as of the selected layer' },
  { mode: 'final', label: 'Final image', title: 'The filesystem of the whole image' },
] as const;

const KINDS: { kind: ChangeName; label: string }[] = [
  { kind: 'added', label: 'Added' },
  { kind: 'modified', label: 'Modified' },
  { kind: 'removed', label: 'Removed' },
  { kind: 'unchanged', label: 'Unchanged' },
];

const MIN_SIZES = [0, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];
const SIZE_LABEL = ['any size', '≥ 1 kB', '≥ 10 kB', '≥ 100 kB', '≥ 1 MB', '≥ 10 MB', '≥ 100 MB'];

export function regexError(text: string, regex: boolean): string | null {
  if (!regex || !text) return null;
  try {
    new RegExp(text);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : 'invalid regular expression';
  }
}

export function TreeToolbar({ filterRef }: { filterRef: React.RefObject<HTMLInputElement | null> }) {
  const mode = useView((s) => s.mode);
  const filter = useView((s) => s.filter);
  const sort = useView((s) => s.sort);
  const store = useViewStore();
  const { setFilterText, setMinSize, setMode, setRegex, setSort, toggleChange } = useViewActions();
  const [text, setText] = useState(filter.text);

  useEffect(() => setText(filter.text), [filter.text]);

  const onText = (v: string) => {
    setText(v);
    // Every keystroke asks at once, without a debounce (which only delays each result): the
    // engine filters 240k paths in ~10 ms, and a query a later keystroke replaces is dropped
    // before it starts (useTreeRows aborts it, the worker's QueryQueue skips it).
    if (!regexError(v, store.getState().filter.regex)) setFilterText(v);
  };
  const err = regexError(text, filter.regex);

  return (
    <div className="tree-toolbar">
      <div className="seg" role="radiogroup" aria-label="Tree view">
        {MODES.map((m) => (
          <button key={m.mode} role="radio" aria-checked={mode === m.mode} className={mode === m.mode ? 'on' : ''}
            title={m.title} data-testid={`tree.mode.${m.mode}`} onClick={() => setMode(m.mode)}>
            {m.label}
          </button>
        ))}
      </div>
      <div className="kinds" aria-label="Show changes">
        {KINDS.map(({ kind, label }) => (
          <label key={kind} className={`kind-toggle k-${kind}${filter.show[kind] ? ' on' : ''}`} data-testid={`tree.show.${kind}`}>
            <input type="checkbox" checked={filter.show[kind]} onChange={() => toggleChange(kind)} />
            <span className="swatch" aria-hidden />
            {label}
          </label>
        ))}
      </div>
      <div className="filter-row">
        <div className={`filter-box${err ? ' invalid' : ''}`}>
          <span className="filter-icon" aria-hidden>⌕</span>
          <input ref={filterRef} type="search" placeholder={filter.regex ? 'Regular expression…' : 'Filter paths…'}
            value={text} data-testid="tree.filter" aria-label="Filter paths" aria-invalid={!!err} title={err ?? ''}
            spellCheck={false} onChange={(e) => onText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                if (text) onText('');
                (e.currentTarget.closest('.tree-pane')?.querySelector('.tree-list') as HTMLElement | null)?.focus();
              } else if (e.key === 'Enter' || e.key === 'ArrowDown') {
                e.preventDefault();
                (e.currentTarget.closest('.tree-pane')?.querySelector('.tree-list') as HTMLElement | null)?.focus();
              }
            }} />
          {!text && <kbd className="filter-kbd" aria-hidden>/</kbd>}
          <button className={`regex-toggle${filter.regex ? ' on' : ''}`} aria-pressed={filter.regex} title="Regular expression"
            data-testid="tree.regex" onClick={() => {
              setRegex(!filter.regex);
              if (!regexError(text, !filter.regex)) setFilterText(text);
            }}>.*</button>
        </div>
        <select value={filter.minSize} aria-label="Minimum size" data-testid="tree.min-size"
          onChange={(e) => setMinSize(Number(e.target.value))}>
          {MIN_SIZES.map((n, i) => <option key={n} value={n}>{SIZE_LABEL[i]}</option>)}
        </select>
        <select value={sort} aria-label="Sort" data-testid="tree.sort" onChange={(e) => setSort(e.target.value as 'name' | 'size')}>
          <option value="name">by name</option>
          <option value="size">by size</option>
        </select>
      </div>
      {err && <div className="filter-error" role="alert">{err}</div>}
    </div>
  );
}
