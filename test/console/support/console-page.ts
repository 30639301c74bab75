import type { Page } from 'playwright-core';

/** The page's DOM as the functions below (run inside the browser) read it; this Node program has no DOM types. */
interface PageElement {
  textContent: string | null;
  value: string;
  dataset: Record<string, string | undefined>;
  hasAttribute(name: string): boolean;
  setAttribute(name: string, value: string): void;
}
declare const document: { querySelector(selector: string): PageElement | null; cookie: string };
declare const localStorage: Record<string, string>;
declare const sessionStorage: Record<string, string>;

/** What the console shows after checking a bundle (#verdict's data attributes). */
export interface Verdict {
  ok: boolean;
  line?: number;
  reason?: string;
  text: string;
}

/** The console's pages driven as an officer would: the specs, the edge spec and the bench share these steps. */
export class ConsolePage {
  readonly errors: string[] = [];

  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {
    page.on('pageerror', (error) => this.errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/status of 403/.test(message.text())) this.errors.push(message.text());
    });
  }

  async open(): Promise<void> {
    await this.page.goto(`${this.baseUrl}/console`);
    await this.page.waitForSelector('#dev-sign-in:not([hidden])');
  }

  async signInWithDevToken(token: string): Promise<void> {
    await this.page.fill('#dev-token', token);
    await this.page.click('#dev-sign-in-button');
    await this.page.waitForSelector('#workspace:not([hidden])');
  }

  async search(filters: { actor?: string; stream?: string; type?: string; limit?: number }): Promise<void> {
    await this.page.fill('#f-actor', filters.actor ?? '');
    await this.page.fill('#f-stream', filters.stream ?? '');
    await this.page.fill('#f-type', filters.type ?? '');
    if (filters.limit) await this.page.selectOption('#f-limit', String(filters.limit));
    const label = await this.page.textContent('#page-label');
    await this.page.click('#search-button');
    await this.page.waitForFunction((before) => document.querySelector('#page-label')?.textContent !== before || !document.querySelector('#mfa-prompt')?.hasAttribute('hidden'), label);
  }

  /** Waits until the element's text matches `pattern`. */
  async waitForText(selector: string, pattern: RegExp, timeout = 15_000): Promise<void> {
    await this.page.waitForFunction(
      ([sel, source, flags]) => new RegExp(source, flags).test(document.querySelector(sel)?.textContent ?? ''),
      [selector, pattern.source, pattern.flags] as const,
      { timeout },
    );
  }

  /** Everything the page keeps in browser storage and cookies. */
  async storedText(): Promise<string> {
    return this.page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
  }

  async rowCount(): Promise<number> {
    return this.page.locator('#results-body tr').count();
  }

  async pinKeysFromServer(): Promise<void> {
    await this.page.click('#keys-from-server');
    await this.page.waitForFunction(() => (document.querySelector('#logkey-text') as PageElement).value.includes('+'));
    await this.page.click('#keys-pin');
    await this.page.waitForFunction(() => document.querySelector('#keys-summary')?.textContent?.startsWith('Pinned'));
  }

  async pinKeys(jwks: string, logKey: string): Promise<void> {
    await this.page.fill('#jwks-text', jwks);
    await this.page.fill('#logkey-text', logKey);
    await this.page.click('#keys-pin');
    await this.page.waitForFunction(() => document.querySelector('#keys-summary')?.textContent?.startsWith('Pinned'));
  }

  /** Drops `file` on the verifier (through its file input) and waits for the verdict. */
  async verifyFile(file: string, timeout = 60_000): Promise<Verdict> {
    await this.page.evaluate(() => document.querySelector('#verify-result')?.setAttribute('hidden', ''));
    await this.page.setInputFiles('#bundle-file', file);
    return this.verdict(timeout);
  }

  async verdict(timeout = 60_000): Promise<Verdict> {
    await this.page.waitForSelector('#verify-result:not([hidden]) #verdict', { timeout });
    return this.page.$eval('#verdict', (element) => {
      const data = (element as unknown as PageElement).dataset;
      return { ok: data.ok === 'true', line: data.line ? Number(data.line) : undefined, reason: data.reason, text: element.textContent ?? '' };
    });
  }
}
