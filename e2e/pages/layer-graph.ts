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
