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
    expect(right.getState()).toMatchObject({ imageId: B, layer: 1, mode: 'final', expanded: [], selectedPath: null, tab: 'image', centre: 'size' });
  });
});

describe('the way to a layer\'s changes', () => {
  it('opens on the final image; picking a layer shows that layer', () => {
    const view = createViewStore();
    view.getState().resetView(A, 13);
    expect(view.getState()).toMatchObject({ imageId: A, layer: 13, mode: 'final', openChanges: true });
    view.getState().selectLayer(A, 9);
    expect(view.getState()).toMatchObject({ layer: 9, mode: 'layerOnly' });
    view.getState().setMode('upTo');
    view.getState().selectLayer(A, 6);
    expect(view.getState()).toMatchObject({ layer: 6, mode: 'upTo' });
    view.getState().highlightLayer(A, 2);
    expect(view.getState()).toMatchObject({ layer: 2, mode: 'upTo' });
  });

  it('the first touch keeps what the engine opened as the user\'s own; another layer opens again', () => {
    const view = createViewStore({ imageId: A, layer: 9, mode: 'layerOnly', expanded: ['etc'] });
    view.getState().setExpanded('root/example', false, ['root', 'root/example']);
    expect(view.getState()).toMatchObject({ openChanges: false, expanded: ['etc', 'root'] });
    view.getState().setExpanded('usr', true, ['root']);
    expect(view.getState()).toMatchObject({ openChanges: false, expanded: ['etc', 'root', 'usr'] });
    view.getState().selectLayer(A, 10);
    expect(view.getState()).toMatchObject({ openChanges: true, expanded: ['etc', 'root', 'usr'] });
    // Nothing opened by the engine (a big layer, another mode): the touch is only the touch.
    view.getState().setExpanded('var', true, undefined);
    expect(view.getState()).toMatchObject({ openChanges: true, expanded: ['etc', 'root', 'usr', 'var'] });
    view.getState().collapseAllDirs();
    expect(view.getState()).toMatchObject({ openChanges: false, expanded: [] });
  });
});
