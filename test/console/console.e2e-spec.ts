import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { encodeVerifierKey, Keyring, generateEd25519Pem } from '@ledgerline/integrity';
import { apiClient, type Call } from '../../apps/api/test/api-client';
import { bootApp, type BootedApp } from '../../apps/api/test/app-boot';
import { ConsolePage } from './support/console-page';
import { launchChromium, SCREENSHOT_DIR, type HeadlessChromium } from './support/chromium';

const VERIFIER_MAIN = path.resolve(__dirname, '../../dist/apps/verifier/src/main.js');
const OFFICER = 'user_compliance';
const ALICE = 'user_alice';
const BOB = 'user_bob';
const CAROL = 'user_carol';
const REASON = 'DSAR-4711: subject asked for every record, reviewed by legal';

/** The CLI on the same file and keys, as the page must agree with it. */
async function cli(args: string[]): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, [VERIFIER_MAIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const status = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  return { status, stderr };
}

describe('compliance console in headless Chromium (e2e)', () => {
  let booted: BootedApp;
  let browser: HeadlessChromium;
  let call: Call;
  let dir: string;
  let stream: string;
  let position: string;

  const newConsole = async (): Promise<{ page: Page; console: ConsolePage }> => {
    const page = await browser.context.newPage();
    const driver = new ConsolePage(page, booted.baseUrl);
    await driver.open();
    return { page, console: driver };
  };
  const screenshot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-console-e2e-'));
    browser = await launchChromium();
    booted = await bootApp({ CHECKPOINT_INTERVAL_MS: '100' });
    call = apiClient(booted);
    // Thirteen documents (a page of ten and three more): ten by Alice (a free plan's most), two by Carol, one by Bob.
    for (let i = 0; i < 12; i++) {
      const created = await call('POST', '/v1/documents', { user: i < 10 ? ALICE : CAROL, body: { title: `Salary review ${i}`, body: `Carol: +${i}%` } });
      expect(created.status).toBe(201);
      stream = stream ?? `document-${created.body.id}`;
      position = created.body.position;
    }
    expect((await call('POST', '/v1/documents', { user: BOB, body: { title: 'Bob notes' } })).status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await booted?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the page under a strict CSP and signs in with a dev token, clearly marked, kept out of storage', async () => {
    const response = await fetch(`${booted.baseUrl}/console`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('x-frame-options')).toBe('DENY');

    const { page, console } = await newConsole();
    expect(await page.textContent('#dev-sign-in')).toContain('Development sign-in');
    await console.signInWithDevToken(booted.token(OFFICER, { mfa: true }));
    expect(await page.textContent('#session-status')).toContain(`Signed in as ${OFFICER}`);
    expect(await page.textContent('#session-status')).toContain('DEV SIGN-IN');
    const stored = await console.storedText();
    expect(stored).not.toMatch(/eyJ/);
    await page.close();
  });

  it('searches with filters and cursor paging, values shown as encrypted, with the per-hour chart above the list', async () => {
    const { page, console } = await newConsole();
    await console.signInWithDevToken(booted.token(OFFICER, { mfa: true }));
    await page.waitForTimeout(300); // projections catch up with the last document
    await console.search({ type: 'DocumentCreated', limit: 10 });
    expect(await console.rowCount()).toBe(10);
    expect(await page.textContent('#page-label')).toContain('Page 1');
    expect(await page.locator('#results-body td.encrypted').count()).toBe(10);
    expect(await page.textContent('#results-body')).not.toContain('Salary review');

    await page.waitForSelector('#chart svg rect.bar');
    const charted = await page.$$eval('#chart rect.bar', (bars) => bars.reduce((n, bar) => n + Number(bar.getAttribute('data-count')), 0));
    expect(charted).toBe(13);
    expect(await page.textContent('#chart-caption')).toContain('per hour');
    await screenshot(page, 'search-and-chart');

    await page.click('#page-next');
    await console.waitForText('#page-label', /^Page 2/);
    expect(await console.rowCount()).toBe(3);
    expect(await page.isDisabled('#page-next')).toBe(true);
    await page.click('#page-prev');
    await console.waitForText('#page-label', /^Page 1/);
    expect(await console.rowCount()).toBe(10);

    await console.search({ actor: BOB });
    expect(await page.$$eval('#results-body tr td:nth-child(5)', (cells) => cells.map((c) => c.textContent))).toEqual(expect.arrayContaining(['user:user_bob']));
    expect(await page.textContent('#results-body')).not.toContain('user_alice');
    expect(console.errors).toEqual([]);
    await page.close();
  });

  it('opens an event (envelope, leaf, proof status, receipt) and reveals only with a 10–500 character reason, on the record', async () => {
    const { page, console } = await newConsole();
    await console.signInWithDevToken(booted.token(OFFICER, { mfa: true }));
    await console.search({ stream, limit: 10 });
    await page.click('#results-body tr');
    await page.waitForSelector('#event-panel:not([hidden])');
    await console.waitForText('#event-proof', /proved against checkpoint \d+/, 10_000).catch(async () => {
      await page.click('#results-body tr'); // the first checkpoint after the event may not have been signed yet
      await console.waitForText('#event-proof', /proved against checkpoint \d+/);
    });
    expect(await page.textContent('#event-envelope')).toContain('"sig"');
    expect(await page.textContent('#event-leaf')).toMatch(/^\d+$/);
    const [receipt] = await Promise.all([page.waitForEvent('download'), page.click('#receipt-download')]);
    const receiptFile = path.join(dir, 'receipt.txt');
    await receipt.saveAs(receiptFile);
    expect(readFileSync(receiptFile, 'utf8')).toMatch(/^c2sp\.org\/tlog-proof@v1\n/);

    await page.click('#reveal-open');
    await page.fill('#reveal-reason', 'too short');
    expect(await page.isDisabled('#reveal-confirm')).toBe(true);
    expect(await page.textContent('#reveal-count')).toContain('at least 10 characters');
    await page.fill('#reveal-reason', 'x'.repeat(501));
    expect((await page.inputValue('#reveal-reason')).length).toBe(500); // maxlength
    await page.fill('#reveal-reason', REASON);
    expect(await page.isDisabled('#reveal-confirm')).toBe(false);
    await page.click('#reveal-confirm');
    await page.waitForSelector('#reveal-record:not([hidden])');
    expect(await page.textContent('#event-data')).toContain('Salary review 0');
    expect(await page.textContent('#reveal-record')).toContain('SensitiveDataAccessed');
    await screenshot(page, 'reveal-on-record');

    const records = await call('GET', `/v1/audit/events?type=SensitiveDataAccessed&actor=${OFFICER}`, { user: OFFICER, mfa: true });
    expect(records.status).toBe(200);
    expect(records.body.items.length).toBeGreaterThanOrEqual(1);
    expect(console.errors).toEqual([]);
    await page.close();
  });

  it('exports a bundle with progress and verifies it in the page against pinned keys (valid), naming the keys', async () => {
    const { page, console } = await newConsole();
    await console.signInWithDevToken(booted.token(OFFICER, { mfa: true }));
    await console.pinKeysFromServer();
    await console.search({ actor: ALICE, limit: 10 });
    await page.click('#export-button');
    await page.waitForSelector('#export-verify:not([hidden])', { timeout: 30_000 });
    expect(await page.textContent('#export-status')).toMatch(/Bundle received: \d+ events/);
    await page.click('#export-verify');
    const verdict = await console.verdict();
    expect(verdict).toMatchObject({ ok: true });
    expect(verdict.text).toContain('VALID');
    const report = await page.textContent('#verify-result');
    const jwks = (await (await fetch(`${booted.baseUrl}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    for (const { kid } of jwks.keys) expect(report).toContain(kid);
    expect(report).toContain('localhost/ledgerline');
    expect(report).toContain('pinned keys only');
    await screenshot(page, 'export-verified');
    expect(console.errors).toEqual([]);
    await page.close();
  });

  describe('a bundle verified in the page fails as the CLI does', () => {
    let bundleFile: string;
    let lines: string[];
    let jwksFile: string;
    let logKeyFile: string;

    beforeAll(async () => {
      const exported = await call('POST', '/v1/audit/exports?waitForCheckpoint=true', { user: OFFICER, mfa: true, body: { actor: ALICE }, headers: { 'x-consistent-after': position } });
      expect(exported.status).toBe(200);
      bundleFile = path.join(dir, 'bundle.ndjson');
      writeFileSync(bundleFile, exported.text);
      lines = exported.text.split('\n');
      jwksFile = path.join(dir, 'jwks.json');
      logKeyFile = path.join(dir, 'log-key.txt');
      writeFileSync(jwksFile, await (await fetch(`${booted.baseUrl}/.well-known/jwks.json`)).text());
      writeFileSync(logKeyFile, await (await fetch(`${booted.baseUrl}/v1/audit/log-key`)).text());
    });

    it('names the first failing line of a one-byte-tampered bundle, the line the CLI names', async () => {
      const target = 4; // the third event line
      const offset = lines.slice(0, target - 1).reduce((n, line) => n + Buffer.byteLength(line) + 1, 0) + lines[target - 1].indexOf('"revision":') + 11;
      const tampered = Buffer.from(lines.join('\n'));
      tampered[offset] = tampered[offset] === 0x37 ? 0x38 : 0x37; // one digit of the revision
      const tamperedFile = path.join(dir, 'tampered.ndjson');
      writeFileSync(tamperedFile, tampered);

      const { page, console } = await newConsole();
      await console.pinKeys(await (await fetch(`${booted.baseUrl}/.well-known/jwks.json`)).text(), (await (await fetch(`${booted.baseUrl}/v1/audit/log-key`)).text()).trim());
      const verdict = await console.verifyFile(tamperedFile);
      const fromCli = await cli(['bundle', tamperedFile, '--jwks', jwksFile, '--log-key', logKeyFile]);
      expect(fromCli.status).toBe(1);
      expect(verdict.ok).toBe(false);
      expect(verdict.line).toBe(target);
      expect(fromCli.stderr).toContain(`line ${target}`);
      expect(verdict.text).toContain(`INVALID at line ${target}`);
      await screenshot(page, 'tampered-invalid');
      expect(await console.verifyFile(bundleFile)).toMatchObject({ ok: true });
      expect((await cli(['bundle', bundleFile, '--jwks', jwksFile, '--log-key', logKeyFile])).status).toBe(0);
      await page.close();
    });

    it('finds a genuine bundle invalid against wrong pinned keys', async () => {
      const stranger = await Keyring.create({ signingKey: generateEd25519Pem() });
      const wrongLogKey = encodeVerifierKey('localhost/ledgerline', crypto.generateKeyPairSync('ed25519').privateKey);
      const { page, console } = await newConsole();
      await console.pinKeys(JSON.stringify(stranger.jwks()), wrongLogKey);
      const verdict = await console.verifyFile(bundleFile);
      expect(verdict).toMatchObject({ ok: false, line: 1, reason: 'checkpoint' });
      writeFileSync(path.join(dir, 'wrong-jwks.json'), JSON.stringify(stranger.jwks()));
      const fromCli = await cli(['bundle', bundleFile, '--jwks', path.join(dir, 'wrong-jwks.json'), '--log-key', wrongLogKey]);
      expect(fromCli.status).toBe(1);
      expect(fromCli.stderr).toContain('line 1');

      // The right log key but a stranger's JWKS: the first event's signature has no trusted key.
      await console.pinKeys(JSON.stringify(stranger.jwks()), (await (await fetch(`${booted.baseUrl}/v1/audit/log-key`)).text()).trim());
      expect(await console.verifyFile(bundleFile)).toMatchObject({ ok: false, line: 2, reason: 'unknown-key' });
      await screenshot(page, 'wrong-keys-invalid');
      await page.close();
    });

    it('refuses to pin a private key', async () => {
      const { page, console } = await newConsole();
      const jwk = crypto.generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
      await page.fill('#jwks-text', JSON.stringify({ keys: [jwk] }));
      await page.fill('#logkey-text', (await (await fetch(`${booted.baseUrl}/v1/audit/log-key`)).text()).trim());
      await page.click('#keys-pin');
      await page.waitForSelector('#notice:not([hidden])');
      expect(await page.textContent('#notice')).toContain('private key');
      expect(await console.storedText()).not.toContain('"d"');
      await page.close();
    });
  });

  it('turns a 403 asking for reverification into a clear MFA prompt, not an error page', async () => {
    const { page, console } = await newConsole();
    await console.signInWithDevToken(booted.token(OFFICER)); // no second factor
    await console.search({ actor: ALICE });
    await page.waitForSelector('#mfa-prompt:not([hidden])');
    expect(await page.textContent('#mfa-prompt')).toContain('Confirm your second factor');
    expect(await page.isVisible('#mfa-dev-hint')).toBe(true);
    expect(await page.isHidden('#notice')).toBe(true);
    await screenshot(page, 'mfa-prompt');
    await page.click('#mfa-reverify');
    await page.waitForSelector('#sign-in:not([hidden])');
    await console.signInWithDevToken(booted.token(OFFICER, { mfa: true }));
    await console.search({ actor: ALICE });
    expect(await console.rowCount()).toBeGreaterThan(0);
    await page.close();
  });
});
