// Page object for the filesystem tree (src/ui/tree/).
import type { Locator, Page } from 'playwright-core';
import { waitFor } from '../harness';

type Mode = 'layerOnly' | 'upTo' | 'final';
type Kind = 'added' | 'modified' | 'removed' | 'unchanged';

export class Tree {
  constructor(private readonly page: Page) {}

  rows(): Locator {
    return this.page.getByTestId('tree.row');
  }

  /** A row by its path, with or without the leading '/'. */
  row(path: string): Locator {
    const bare = path.replace(/^\/+/, '').replace(/"/g, '\\"');
    return this.page.locator(`[data-testid="tree.row"][data-path="${bare}"], [data-testid="tree.row"][data-path="/${bare}"]`);
  }

  /** Paths of the rendered rows, always with a leading '/'. */
  async paths(): Promise<string[]> {
    return this.rows().evaluateAll((els) => els.map((e) => '/' + (e.getAttribute('data-path') ?? '').replace(/^\/+/, '')));
  }

  /** Waits until the visible rows satisfy `pred` (rows arrive from the engine asynchronously). */
  async waitForPaths(pred: (paths: string[]) => boolean, what: string): Promise<string[]> {
    return waitFor(async () => {
      const p = await this.paths();
      return pred(p) ? p : null;
    }, what);
  }

  async mode(m: Mode): Promise<void> {
    await this.page.getByTestId(`tree.mode.${m}`).click();
  }

  async toggle(kind: Kind): Promise<void> {
    await this.page.getByTestId(`tree.show.${kind}`).click();
  }

  filter(): Locator {
    return this.page.getByTestId('tree.filter');
  }

  async setFilter(text: string, regex = false): Promise<void> {
    const on = (await this.page.getByTestId('tree.regex').getAttribute('aria-pressed')) === 'true';
    if (on !== regex) await this.page.getByTestId('tree.regex').click();
    await this.filter().fill(text);
  }

  async expandAll(): Promise<void> {
    await this.page.getByTestId('tree.expand-all').click();
  }

  async collapseAll(): Promise<void> {
    await this.page.getByTestId('tree.collapse-all').click();
  }

  async focus(): Promise<void> {
    await this.page.getByTestId('tree.list').focus();
  }

  selected(): Locator {
    return this.page.locator('[data-testid="tree.row"][aria-selected="true"]');
  }
}
