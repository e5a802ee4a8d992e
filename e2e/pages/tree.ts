// Page object for the filesystem tree (src/ui/tree/). Paths are bare, as the tree writes them
// (`usr/lib`, never `/usr/lib`).
import type { Locator, Page } from '@playwright/test';

type Mode = 'layerOnly' | 'upTo' | 'final';
type Kind = 'added' | 'modified' | 'removed' | 'unchanged';

function bare(path: string): string {
  if (path.startsWith('/')) throw new Error(`tree paths are bare: write ${JSON.stringify(path.replace(/^\/+/, ''))}, not ${JSON.stringify(path)}`);
  return path;
}

export class Tree {
  constructor(private readonly page: Page) {}

  rows(): Locator {
    return this.page.getByTestId('tree.row');
  }

  row(path: string): Locator {
    return this.page.locator(`[data-testid="tree.row"][data-path="${bare(path).replace(/"/g, '\\"')}"]`);
  }

  /** The first row, or the "nothing here" note when the view is empty: the tree has drawn. */
  drawn(): Locator {
    return this.page.locator('[data-testid="tree.row"], .tree-empty').first();
  }

  /** Paths of the rendered rows. */
  async paths(): Promise<string[]> {
    return this.rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-path') ?? ''));
  }

  /** Opens or closes a directory with its caret (a click on the row only selects it). */
  async toggleRow(path: string): Promise<void> {
    await this.row(path).locator('.tr-caret').click();
  }

  /** The view mode whose button is on. */
  modeOn(): Locator {
    return this.page.locator('[data-testid^="tree.mode."][aria-checked="true"]');
  }

  /** Rows as `path change` (`root/example removed`), each directory with ▾ when open, ▸ when closed. */
  async lines(): Promise<string[]> {
    return this.rows().evaluateAll((els) => els.map((e) => {
      const open = e.getAttribute('aria-expanded');
      return `${e.getAttribute('data-path')} ${e.getAttribute('data-change')}${open === 'true' ? ' ▾' : open === 'false' ? ' ▸' : ''}`;
    }));
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
    const toggle = this.page.getByTestId('tree.regex');
    if (((await toggle.getAttribute('aria-pressed')) === 'true') !== regex) await toggle.click();
    await this.filter().fill(text);
  }

  /** The minimum-size filter, in bytes (0: off). */
  async setMinSize(bytes: number): Promise<void> {
    await this.page.getByTestId('tree.min-size').selectOption(String(bytes));
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
