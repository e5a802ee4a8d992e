// Page object for the "Why so large" view (src/ui/size/, src/ui/viz/treemap.tsx).
import type { Locator, Page } from 'playwright-core';
import { waitFor } from '../harness';

const UNITS: Record<string, number> = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 };

/** "725 kB" -> 725000, as formatBytes writes them (an "≈" estimate counts as its number). */
export function parseBytes(text: string): number {
  const m = /([\d.]+)\s*(B|kB|MB|GB|TB)/.exec(text);
  if (!m) throw new Error(`not a byte count: ${JSON.stringify(text)}`);
  return Number(m[1]) * UNITS[m[2]!]!;
}

export class SizePage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('size.tab').click();
    await this.cells().first().waitFor();
  }

  cells(): Locator {
    return this.page.getByTestId('size.cell');
  }

  cell(path: string): Locator {
    return this.page.locator(`[data-testid="size.cell"][data-path="${path.replace(/"/g, '\\"')}"]`);
  }

  /** Paths of the painted cells ("other" cells have none). */
  async cellPaths(): Promise<string[]> {
    const all = await this.cells().evaluateAll((els) => els.map((e) => e.getAttribute('data-path') ?? ''));
    return all.filter((p) => p !== '');
  }

  async crumbs(): Promise<string[]> {
    return this.page.getByTestId('size.crumb').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
  }

  async waitForCrumbs(n: number): Promise<string[]> {
    return waitFor(async () => {
      const c = await this.crumbs();
      return c.length === n ? c : null;
    }, `${n} breadcrumb items`);
  }

  /** Clicks a directory's label strip (its centre is covered by its children). */
  async openDir(path: string): Promise<void> {
    await this.cell(path).locator('rect').first().click({ position: { x: 10, y: 6 } });
  }

  /** Clicks a cell in its middle: a leaf. */
  async clickLeaf(path: string): Promise<void> {
    await this.cell(path).click();
  }

  async crumb(index: number): Promise<void> {
    await this.page.getByTestId('size.crumb').nth(index).click();
  }

  async toggleInvisible(): Promise<void> {
    await this.page.getByTestId('size.invisible-toggle').click();
  }

  packageRows(): Locator {
    return this.page.getByTestId('packages.row');
  }

  async packageNames(): Promise<string[]> {
    return this.packageRows().evaluateAll((els) => els.map((e) => e.getAttribute('data-name') ?? ''));
  }

  /** The bytes column as displayed, parsed. */
  async packageBytes(): Promise<number[]> {
    const texts = await this.page.getByTestId('packages.bytes').allTextContents();
    return texts.map(parseBytes);
  }

  async sortBy(column: 'name' | 'version' | 'ecosystem' | 'bytes' | 'files' | 'layer', order: 'ascending' | 'descending'): Promise<void> {
    const button = this.page.locator(`[data-testid="packages.sort"][data-column="${column}"]`);
    const th = this.page.locator('th', { has: button });
    for (let i = 0; i < 2 && (await th.getAttribute('aria-sort')) !== order; i++) await button.click();
    await waitFor(async () => (await th.getAttribute('aria-sort')) === order, `packages sorted by ${column} ${order}`);
  }

  async filterPackagesByLayer(layer: number | 'all'): Promise<void> {
    await this.page.getByTestId('packages.layer').selectOption(String(layer));
  }

  unownedRow(): Locator {
    return this.page.getByTestId('packages.unowned');
  }

  findings(kind?: string): Locator {
    return kind ? this.page.locator(`[data-testid="findings.row"][data-kind="${kind}"]`) : this.page.getByTestId('findings.row');
  }

  largestFiles(): Locator {
    return this.page.getByTestId('size.largest-file');
  }

  hoverCard(): Locator {
    return this.page.getByTestId('size.hover');
  }
}
