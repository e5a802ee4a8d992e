// Page object for the whole app: the start page, opening files and the demo, the top bar, the
// banners, the summary cards, the details and image side panes.
import { expect, type Download, type Locator, type Page } from '@playwright/test';

type Summary = 'efficiency' | 'wasted' | 'reclaimable' | 'size';

export class StrataPage {
  constructor(readonly page: Page) {}

  /** Opens the served app; `?test` turns animations off. `hash: 'demo'` is what `npm start` opens. */
  async goto({ hash }: { hash?: string } = {}): Promise<void> {
    await this.page.goto(`./?test${hash ? `#${hash}` : ''}`);
    await expect(this.fileInput()).toBeAttached();
  }

  /** The policy the built index.html carries for static hosting of dist/. */
  cspMeta(): Locator {
    return this.page.locator('meta[http-equiv="Content-Security-Policy"]');
  }

  fileInput(): Locator {
    return this.page.getByTestId('open.file-input');
  }

  async open(...files: string[]): Promise<void> {
    await this.fileInput().setInputFiles(files);
  }

  /** A folder picked with the folder picker (webkitdirectory). */
  async openFolder(dir: string): Promise<void> {
    await this.page.getByTestId('open.folder-input').setInputFiles(dir);
  }

  demoButton(): Locator {
    return this.page.getByTestId('open.demo');
  }

  async openDemo(): Promise<void> {
    await this.demoButton().click();
  }

  /** The buttons for each demo image on the start page (`open.demo.<file>`). */
  demoFileButtons(): Locator {
    return this.page.locator('[data-testid^="open.demo."]');
  }

  /** The start page's button for one demo archive, by its file name without `.tar`. */
  demoFileButton(name: string): Locator {
    return this.page.getByTestId(`open.demo.${name}`);
  }

  /** Drops the file the page fetches from `url` onto the drop zone, named `name`. */
  async drop(url: string, name: string): Promise<void> {
    const dataTransfer = await this.page.evaluateHandle(async ([u, n]) => {
      const blob = await (await fetch(u)).blob();
      const dt = new DataTransfer();
      dt.items.add(new File([blob], n));
      return dt;
    }, [url, name] as const);
    const zone = this.page.getByTestId('open.dropzone');
    await zone.dispatchEvent('dragover', { dataTransfer });
    await zone.dispatchEvent('drop', { dataTransfer });
  }

  registryBox(): Locator {
    return this.page.getByTestId('open.registry');
  }


  async verifyDigests(on: boolean): Promise<void> {
    await this.page.getByTestId('open.verify').setChecked(on);
  }

  /** Waits until the load has finished (the layers are drawn and the progress panel is gone). */
  async waitLoaded(timeout = 30_000): Promise<void> {
    await expect(this.page.getByTestId('layers.row').first()).toBeVisible({ timeout });
    await expect(this.page.getByTestId('progress.panel')).toHaveCount(0, { timeout });
  }

  /**
   * Waits for the demo the start page opens (strata-ml.tar, 83 MB and two images): on a shared
   * 2-core machine under load it took over 30 s; tests that call this also call test.slow().
   */
  async waitDemoLoaded(): Promise<void> {
    await this.waitLoaded(90_000);
  }

  fileName(): Locator {
    return this.page.getByTestId('app.file-name');
  }

  summary(which: Summary): Locator {
    return this.page.getByTestId(`summary.${which}`);
  }

  errorBanners(): Locator {
    return this.page.getByTestId('error.banner');
  }

  detailsPath(): Locator {
    return this.page.getByTestId('details.path');
  }

  detailsHistory(): Locator {
    return this.page.getByTestId('details.history');
  }

  /** The side pane's Image tab: config, history, the report download. */
  async showImagePane(): Promise<Locator> {
    await this.page.getByTestId('side.tab.image').click();
    return this.page.locator('.image-pane');
  }

  async downloadReport(): Promise<Download> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.getByTestId('image.download-report').click(),
    ]);
    return download;
  }
}
