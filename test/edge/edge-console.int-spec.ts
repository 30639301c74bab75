import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Response } from 'playwright-core';
import { ConsolePage } from '../console/support/console-page';
import { launchChromium, SCREENSHOT_DIR, type HeadlessChromium } from '../console/support/chromium';
import { startEdgeStack, total, type EdgeStack } from './support/edge-stack';

/**
 * The compliance console's own traffic through the edge (real nginx + ModSecurity + OWASP CRS), driven in
 * headless Chromium as an officer uses it: page and assets, sign-in, filtered and paged search, the chart's
 * pages, an event, its receipt, a reveal with a free-text reason, an export, and the in-page check.
 * Zero WAF detections, and every answer comes from the API.
 */
describe('the compliance console behind the edge (real nginx + ModSecurity + CRS, headless Chromium)', () => {
  let stack: EdgeStack;
  let browser: HeadlessChromium;
  let dir: string;
  const answers: Response[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-edge-console-'));
    stack = await startEdgeStack();
    browser = await launchChromium({ ignoreHttpsErrors: true });
  }, 200_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves an officer the whole console journey with no WAF detection', async () => {
    const alice = 'user_alice_console';
    for (let i = 0; i < 3; i++) {
      const created = await stack.client.send({
        method: 'POST',
        path: '/v1/documents',
        headers: { authorization: `Bearer ${stack.token(alice)}` },
        body: { title: `Board minutes ${i}`, body: 'Q3: approve budget' },
      });
      expect(created.status).toBe(201);
    }
    const appBefore = total(await stack.appRequests());
    const base = `https://localhost:${stack.edge.port}`;
    const page = await browser.context.newPage();
    page.on('response', (response) => {
      if (response.url().startsWith(base)) answers.push(response);
    });
    const console = new ConsolePage(page, base);
    await console.open();
    await console.signInWithDevToken(stack.token('user_compliance', { mfa: true }));
    await page.fill('#f-from', '2020-01-01T00:00:00');
    await page.fill('#f-to', '2100-01-01T00:00:00');
    await console.search({ actor: alice, type: 'DocumentCreated', limit: 10 });
    await page.waitForSelector('#chart svg');
    expect(await console.rowCount()).toBe(3);
    await console.search({ limit: 10 });
    await page.click('#page-next');
    await console.waitForText('#page-label', /^Page 2/);
    await console.search({ actor: alice, limit: 10 });
    await page.click('#results-body tr:nth-child(2)');
    await page.waitForSelector('#event-panel:not([hidden])');
    await page.waitForTimeout(500); // the next checkpoint covers the event
    await page.click('#results-body tr:nth-child(2)');
    await console.waitForText('#event-proof', /proved/);
    const [receipt] = await Promise.all([page.waitForEvent('download'), page.click('#receipt-download')]);
    await receipt.saveAs(path.join(dir, 'receipt.txt'));
    await page.click('#reveal-open');
    await page.fill('#reveal-reason', "DSAR-4711 (ticket #42): subject's access request; legal approved 2026-12-01 -- see Bob's notes & the <urgent> flag");
    await page.click('#reveal-confirm');
    await page.waitForSelector('#reveal-record:not([hidden])');

    await console.pinKeysFromServer();
    await page.click('#export-button');
    await page.waitForSelector('#export-verify:not([hidden])', { timeout: 30_000 });
    await page.click('#export-verify');
    expect(await console.verdict()).toMatchObject({ ok: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'behind-the-edge.png'), fullPage: true });
    writeFileSync(path.join(dir, 'done'), '');

    const detections = stack.edge.auditLog().filter((entry) => entry.transaction.messages.length > 0);
    expect(detections.map((e) => ({ uri: e.transaction.request.uri, rules: e.transaction.messages.map((m) => `${m.details.ruleId} ${m.details.data}`) }))).toEqual([]);
    // Every answer the browser got came from the API (its headers), none from the edge's own error pages.
    const notFromApp = answers.filter((a) => !a.headers()['x-request-id'] || a.status() >= 500).map((a) => `${a.status()} ${a.url()}`);
    expect(notFromApp).toEqual([]);
    expect(answers.filter((a) => a.status() === 403)).toEqual([]);
    expect(total(await stack.appRequests()) - appBefore).toBeGreaterThanOrEqual(answers.length - 1);
    expect(console.errors).toEqual([]);
    await page.close();
  });
});
