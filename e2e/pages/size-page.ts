// Page object for the "Why so large" view (src/ui/size/, src/ui/viz/treemap.tsx). Paths are bare
// (`usr/lib`), as the treemap writes them; the largest-file list's leading '/' is taken off here.
import { expect, type Locator, type Page } from '@playwright/test';

const UNITS: Record<string, number> = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 };

/** "725 kB" -> 725000, as formatBytes writes them (an "≈" estimate counts as its number). */
export function parseBytes(text: string | null): number {
  const m = /([\d.]+)\s*(B|kB|MB|GB|TB)/.exec(text ?? '');
  if (!m) throw new Error(`not a byte count: ${JSON.stringify(text)}`);
  return Number(m[1]) * UNITS[m[2]!]!;
}

const quoted = (s: string) => `"${s.replace(/"/g, '\\"')}"`;

export class SizePage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('size.tab').click();
    await expect(this.cells().first()).toBeVisible();
  }

  view(): Locator {
    return this.page.getByTestId('size.view');
  }

  cells(): Locator {
    return this.page.getByTestId('size.cell');
  }

  cell(path: string): Locator {
    return this.page.locator(`[data-testid="size.cell"][data-path=${quoted(path)}]`);
  }

  /** Cells whose path starts with `prefix`. */
  cellsUnder(prefix: string): Locator {
    return this.page.locator(`[data-testid="size.cell"][data-path^=${quoted(prefix)}]`);
  }

  /** Paths of the painted cells ("other" cells have none). */
  async cellPaths(): Promise<string[]> {
    const all = await this.cells().evaluateAll((els) => els.map((e) => e.getAttribute('data-path') ?? ''));
    return all.filter((p) => p !== '');
  }

  crumbs(): Locator {
    return this.page.getByTestId('size.crumb');
  }

  /** Clicks a directory's label strip (its centre is covered by its children). */
  async openDir(path: string): Promise<void> {
    await this.openCell(this.cell(path));
  }

  /** Opens the first directory cell drawn, whatever it is. */
  async openFirstDir(): Promise<void> {
    await this.openCell(this.page.locator('[data-testid="size.cell"][data-kind="dir"]').first());
  }

  private async openCell(cell: Locator): Promise<void> {
    await cell.locator('rect').first().click({ position: { x: 10, y: 6 } });
  }

  async crumb(index: number): Promise<void> {
    await this.crumbs().nth(index).click();
  }

  /** Escape on the focused map zooms out one level. */
  async zoomOutWithEscape(): Promise<void> {
    await this.page.getByTestId('size.treemap').focus();
    await this.page.keyboard.press('Escape');
  }

  async toggleInvisible(): Promise<void> {
    await this.page.getByTestId('size.invisible-toggle').click();
  }

  hoverCard(): Locator {
    return this.page.getByTestId('size.hover');
  }

  packagesTable(): Locator {
    return this.page.getByTestId('packages.table');
  }

  packageRows(): Locator {
    return this.page.getByTestId('packages.row');
  }

  packageRow(name: string): Locator {
    return this.page.locator(`[data-testid="packages.row"][data-name=${quoted(name)}]`);
  }

  async packageNames(): Promise<string[]> {
    return this.packageRows().evaluateAll((els) => els.map((e) => e.getAttribute('data-name') ?? ''));
  }

  /** The bytes column as displayed, parsed. */
  async packageBytes(): Promise<number[]> {
    return (await this.page.getByTestId('packages.bytes').allTextContents()).map(parseBytes);
  }

  async sortBy(column: 'name' | 'version' | 'ecosystem' | 'bytes' | 'files' | 'layer', order: 'ascending' | 'descending'): Promise<void> {
    const button = this.page.locator(`[data-testid="packages.sort"][data-column="${column}"]`);
    const th = this.page.locator('th', { has: button });
    // A column sorts one way on the first click and flips on the second.
    for (let i = 0; i < 2 && (await th.getAttribute('aria-sort')) !== order; i++) await button.click();
    await expect(th).toHaveAttribute('aria-sort', order);
  }

  async filterPackagesByLayer(layer: number | 'all'): Promise<void> {
    await this.page.getByTestId('packages.layer').selectOption(String(layer));
  }

  unownedRow(): Locator {
    return this.page.getByTestId('packages.unowned');
  }

  findings(kind?: string): Locator {
    return kind ? this.page.locator(`[data-testid="findings.row"][data-kind=${quoted(kind)}]`) : this.page.getByTestId('findings.row');
  }

  /** "Findings could save": the sum of the findings' bytes. */
  saving(): Locator {
    return this.page.getByTestId('size.saving');
  }

  /** The finding shown selected (the largest, when the demo has just opened). */
  selectedFinding(): Locator {
    return this.page.locator('[data-testid="findings.row"][aria-current="true"]');
  }

  /** The centre column's Filesystem tab, back from "Why so large". */
  async showFiles(): Promise<void> {
    await this.page.getByTestId('files.tab').click();
  }

  /** The bytes a finding says its fix would save. */
  findingBytes(finding: Locator): Locator {
    return finding.getByTestId('findings.bytes');
  }

  largestFiles(): Locator {
    return this.page.getByTestId('size.largest-file');
  }

  /** The path a largest-file row links to, bare. */
  async largestFilePath(row: Locator): Promise<string> {
    return ((await row.getAttribute('data-path')) ?? '').replace(/^\/+/, '');
  }

  async scrollToTop(): Promise<void> {
    await this.view().evaluate((el) => { el.scrollTop = 0; });
  }
}
