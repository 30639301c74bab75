import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { bootApp } from './app-boot';

describe('transport and headers (e2e)', () => {
  it('sends API security headers and no X-Powered-By', async () => {
    const booted = await bootApp();
    try {
      const response = await fetch(`${booted.baseUrl}/health/live`);
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-powered-by')).toBeNull();
      expect(response.headers.get('strict-transport-security')).toBeNull();
      const authed = await fetch(`${booted.baseUrl}/health/live`, { headers: { authorization: 'Bearer x' } });
      expect(authed.headers.get('cache-control')).toBe('no-store');
    } finally {
      await booted.close();
    }
  });

  it('accepts JSON bodies only: an HTML-form body is 415 problem+json', async () => {
    const booted = await bootApp();
    try {
      const response = await fetch(`${booted.baseUrl}/v1/documents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${booted.token('user_form')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'title=Form&body=text',
      });
      expect(response.status).toBe(415);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    } finally {
      await booted.close();
    }
  });

  it('answers CORS preflights only for CORS_ORIGINS', async () => {
    const booted = await bootApp({ CORS_ORIGINS: 'https://app.example' });
    try {
      const preflight = (origin: string) =>
        fetch(`${booted.baseUrl}/health/live`, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'GET' },
        });
      expect((await preflight('https://app.example')).headers.get('access-control-allow-origin')).toBe('https://app.example');
      expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await booted.close();
    }
  });

  it('serves HTTPS with HSTS when TLS_CERT_FILE and TLS_KEY_FILE are set', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-tls-'));
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    const booted = await bootApp({ TLS_CERT_FILE: cert, TLS_KEY_FILE: key });
    try {
      const port = (booted.app.getHttpServer().address() as { port: number }).port;
      const answer = await new Promise<{ status?: number; hsts?: string; body: string }>((resolve, reject) => {
        const request = https.get({ host: '127.0.0.1', port, path: '/health/live', ca: readFileSync(cert) }, (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode, hsts: response.headers['strict-transport-security'] as string, body }));
        });
        request.on('error', reject);
      });
      expect(answer.status).toBe(200);
      expect(answer.hsts).toContain('max-age=');
      expect(JSON.parse(answer.body)).toEqual({ status: 'ok' });
    } finally {
      await booted.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
