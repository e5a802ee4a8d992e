// Page object for the registry box of the start page and the registry bar above the explorer
// (src/ui/landing/registry-box.tsx, registry-bar.tsx).
import type { Locator, Page } from '@playwright/test';

export class RegistryBox {
  constructor(private readonly page: Page) {}

  input(): Locator {
    return this.page.getByTestId('open.registry');
  }

  /** Types the reference and presses Enter, as a user does. */
  async pull(reference: string): Promise<void> {
    await this.input().fill(reference);
    await this.input().press('Enter');
  }

  user(): Locator {
    return this.page.getByTestId('open.registry.user');
  }

  password(): Locator {
    return this.page.getByTestId('open.registry.password');
  }

  async logIn(username: string, password: string): Promise<void> {
    await this.user().fill(username);
    await this.password().fill(password);
    await this.password().press('Enter');
  }

  /** The failure under the box, with its code in `data-code`. */
  error(): Locator {
    return this.page.getByTestId('open.registry.error');
  }

  /** The platform picker of a multi-platform index (in the bar above the explorer). */
  platform(): Locator {
    return this.page.getByTestId('open.registry.platform');
  }
}
