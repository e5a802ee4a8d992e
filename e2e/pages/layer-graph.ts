// Page object for the layer graph (src/ui/viz/layer-graph.ts, src/ui/explorer/layer-pane.tsx).
import type { Locator, Page } from '@playwright/test';

export class LayerGraph {
  constructor(private readonly page: Page) {}

  rows(): Locator {
    return this.page.getByTestId('layers.row');
  }

  row(index: number, imageId?: string): Locator {
    const sel = `[data-testid="layers.row"][data-layer-index="${index}"]${imageId ? `[data-image-ids~="${imageId}"]` : ''}`;
    return this.page.locator(sel).first();
  }

  /** Layers several loaded images share, drawn once. */
  sharedRows(): Locator {
    return this.page.locator('[data-testid="layers.row"].is-shared');
  }

  /** One writable (container) layer on top of each image. */
  writableRows(): Locator {
    return this.page.getByTestId('layers.writable');
  }

  /** The head rows: each image's tag at the top of its lane (drawn when several images are loaded). */
  headRows(): Locator {
    return this.page.getByTestId('layers.head');
  }

  /**
   * Every row of the graph as a reader sees it, top of the screen first: `lane kind text`, where
   * a layer's text is its index and step, a step's its instruction, a head's the image's tag.
   */
  async screenOrder(): Promise<string[]> {
    return this.page.locator('svg.lg g.lg-row').evaluateAll((els) => els
      .map((el) => {
        const kind = (el.getAttribute('data-testid') ?? '').replace(/^layers\./, '');
        const lane = el.getAttribute('data-lane') ?? '?';
        const title = el.querySelector('title')?.textContent ?? '';
        const text = kind === 'row' ? `${el.getAttribute('data-layer-index')} ${title}` : kind === 'writable' ? '' : kind === 'head' ? el.querySelector('text')?.textContent ?? '' : title;
        return { y: el.getBoundingClientRect().top, line: `${lane} ${kind === 'row' ? 'layer' : kind}${text ? ` ${text}` : ''}` };
      })
      .sort((a, b) => a.y - b.y)
      .map((r) => r.line));
  }

  /** Line 2 of a layer row: size, files and the paths it changed. */
  meta(index: number, imageId?: string): Locator {
    return this.row(index, imageId).locator('text.lg-meta');
  }

  /** The counts of the selected layer under the graph. */
  selectedCounts(): Locator {
    return this.page.getByTestId('layers.selected.counts');
  }

  /** The row whose Dockerfile step (its title) contains `text`. */
  rowByCommand(text: string): Locator {
    return this.rows().filter({ has: this.page.locator('title', { hasText: text }) }).first();
  }

  async select(index: number): Promise<void> {
    await this.row(index).click();
  }

  /** The selected row (its `data-layer-index` is the layer). */
  selected(): Locator {
    return this.page.locator('[data-testid="layers.row"][aria-selected="true"]').first();
  }

  async focus(): Promise<void> {
    await this.page.getByTestId('layers.graph').focus();
  }

  selectedCommand(): Locator {
    return this.page.getByTestId('layers.selected').locator('pre');
  }
}
