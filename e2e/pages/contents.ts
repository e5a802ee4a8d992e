// Page object for a file's contents in the details pane (src/ui/details/file-contents.tsx) and the
// text diff of compare mode (src/ui/compare/text-diff.tsx).
import type { Download, Locator, Page } from '@playwright/test';

export class Contents {
  constructor(private readonly page: Page) {}

  section(): Locator { return this.page.getByTestId('contents'); }
  type(): Locator { return this.page.getByTestId('contents.type'); }
  sha256(): Locator { return this.page.getByTestId('contents.sha256'); }
  how(): Locator { return this.page.getByTestId('contents.how'); }
  /** The drawn lines of a text file (only those on screen: the list is virtualised). */
  lines(): Locator { return this.page.getByTestId('contents.line'); }
  hexRows(): Locator { return this.page.getByTestId('contents.hex.row'); }
  image(): Locator { return this.page.getByTestId('contents.image'); }
  imageSize(): Locator { return this.page.getByTestId('contents.image.size'); }
  symlink(): Locator { return this.page.getByTestId('contents.symlink'); }
  async follow(): Promise<void> { await this.page.getByTestId('contents.follow').click(); }

  /** Clicks Download (a file) or Save as tar (a directory) and waits for the browser's download. */
  async save(which: 'download' | 'save-tar'): Promise<Download> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.page.getByTestId(`contents.${which}`).click()]);
    return download;
  }

  diff(): Locator { return this.page.getByTestId('compare.diff'); }
  diffSummary(): Locator { return this.page.getByTestId('compare.diff.summary'); }
  /** Rows of the diff on screen, as "<sign><text>" (sign ' ', '-' or '+'). */
  async diffLines(): Promise<string[]> {
    return this.page.getByTestId('compare.diff.line').evaluateAll((rows) =>
      rows.map((r) => `${r.getAttribute('data-sign')}${r.querySelector('.line')?.textContent ?? ''}`));
  }
}
