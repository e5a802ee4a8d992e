// Two panes, two view stores: what one pane does never shows in the other (compare mode puts two
// images side by side on this). Rendered with react-dom/server in the node environment.
import { createElement, createRef, type ReactElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { toImageId } from '../core/types';
import { createViewStore, type ViewStore } from '../store/view-store';
import { revealInTree } from './size/reveal';
import { TreeToolbar } from './tree/tree-toolbar';
import { ViewStoreProvider } from './view-context';

const A = toImageId('sha256:aaaa');
const B = toImageId('sha256:bbbb');

function pane(store: ViewStore, child: ReactElement): ReactElement {
  return createElement(ViewStoreProvider, { store, children: child });
}

describe('a view store per pane', () => {
  it('two panes side by side each show their own view', () => {
    const left = createViewStore({ imageId: A, mode: 'final' });
    const right = createViewStore({ imageId: B, mode: 'upTo', sort: 'size' });
    const html = renderToString(createElement('div', null,
      pane(left, createElement(TreeToolbar, { filterRef: createRef<HTMLInputElement>() })),
      pane(right, createElement(TreeToolbar, { filterRef: createRef<HTMLInputElement>() }))));
    const checked = [...html.matchAll(/aria-checked="true"[^>]*data-testid="tree\.mode\.(\w+)"/g)].map((m) => m[1]);
    expect(checked).toEqual(['final', 'upTo']);
    const sorts = [...html.matchAll(/<option value="(name|size)" selected="">/g)].map((m) => m[1]);
    expect(sorts).toEqual(['name', 'size']);
  });

  it('a filter typed in one pane opens that pane only, and clearing it restores that pane', () => {
    const left = createViewStore({ imageId: A, expanded: ['etc'] });
    const right = createViewStore({ imageId: B, expanded: ['usr'] });
    left.getState().setFilterText('passwd');
    right.getState().setFilterText('lib');
    expect(left.getState()).toMatchObject({ expandAll: true, expanded: [], filter: { text: 'passwd' } });
    right.getState().setFilterText('');
    left.getState().setFilterText('');
    expect(left.getState()).toMatchObject({ expandAll: false, expanded: ['etc'], filter: { text: '' } });
    expect(right.getState()).toMatchObject({ expandAll: false, expanded: ['usr'], filter: { text: '' } });
  });

  it('a link from the size view reveals the path in its own pane', () => {
    const left = createViewStore({ imageId: A, layer: 3, centre: 'size', tab: 'image' });
    const right = createViewStore({ imageId: B, layer: 1, centre: 'size', tab: 'image' });
    revealInTree(left, 'usr/lib/libc.so.6', { layer: 2 });
    expect(left.getState()).toMatchObject({
      imageId: A, layer: 2, mode: 'layerOnly', expanded: ['usr', 'usr/lib'], selectedPath: 'usr/lib/libc.so.6', tab: 'path', centre: 'files',
    });
    expect(right.getState()).toMatchObject({ imageId: B, layer: 1, mode: 'layerOnly', expanded: [], selectedPath: null, tab: 'image', centre: 'size' });
  });
});
