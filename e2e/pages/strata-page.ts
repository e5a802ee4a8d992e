// Page object for the whole app: opening files and the demo, and the parts of the explorer.
import type { Locator, Page } from 'playwright-core';
import { waitFor } from '../harness';
import { LayerGraph } from './layer-graph';
import { Tree } from './tree';

export class StrataPage {
  readonly layers: LayerGraph;
  readonly tree: Tree;

  constructor(readonly page: Page, readonly baseUrl: string) {
    this.layers = new LayerGraph(page);
    this.tree = new Tree(page);
  }

  /** `?test` turns animations off. */
  async goto(query = ''): Promise<void> {
    await this.page.goto(`${this.baseUrl}?test${query ? `&${query}` : ''}`);
    await this.page.getByTestId('open.file-input').waitFor({ state: 'attached' });
  }

  async open(...files: string[]): Promise<void> {
    await this.page.getByTestId('open.file-input').setInputFiles(files);
  }

  async openDemo(): Promise<void> {
    await this.page.getByTestId('open.demo').click();
  }

  /** Waits until the load has finished (the progress panel is gone and the layers are drawn). */
  async waitLoaded(timeoutMs = 30_000): Promise<void> {
    await this.page.getByTestId('layers.row').first().waitFor({ timeout: timeoutMs });
    await this.page.getByTestId('progress.panel').waitFor({ state: 'detached', timeout: timeoutMs });
  }

  summary(which: 'efficiency' | 'wasted' | 'reclaimable' | 'size'): Locator {
    return this.page.getByTestId(`summary.${which}`);
  }

  async summaryText(which: 'efficiency' | 'wasted' | 'reclaimable' | 'size'): Promise<string> {
    return waitFor(async () => {
      const t = (await this.summary(which).textContent())?.trim() ?? '';
      return t && t !== '…' ? t : '';
    }, `summary.${which}`);
  }

  errorBanner(): Locator {
    return this.page.getByTestId('error.banner');
  }

  detailsPath(): Locator {
    return this.page.getByTestId('details.path');
  }

  async setScheme(scheme: 'light' | 'dark'): Promise<void> {
    await this.page.emulateMedia({ colorScheme: scheme });
  }

  async screenshot(file: string): Promise<void> {
    await this.page.screenshot({ path: file });
  }
}
