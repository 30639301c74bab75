import { bootApp } from './app-boot';

describe('GET /metrics (e2e)', () => {
  it('is off without METRICS_TOKEN', async () => {
    const booted = await bootApp();
    try {
      expect((await fetch(`${booted.baseUrl}/metrics`)).status).toBe(404);
    } finally {
      await booted.close();
    }
  });

  it('serves Prometheus text only for the metrics bearer token', async () => {
    const booted = await bootApp({ METRICS_TOKEN: 'scrape-token-123' });
    try {
      await fetch(`${booted.baseUrl}/health/live`);
      expect((await fetch(`${booted.baseUrl}/metrics`)).status).toBe(401);
      expect((await fetch(`${booted.baseUrl}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      const response = await fetch(`${booted.baseUrl}/metrics`, { headers: { authorization: 'Bearer scrape-token-123' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      const text = await response.text();
      expect(text).toMatch(/ledgerline_http_requests_total\{method="GET",route="\/health\/live",status="200"\} \d+/);
      expect(text).toContain('ledgerline_http_request_duration_seconds_bucket');
      expect(text).toContain('ledgerline_group_commit_batch_appends');
      expect(text).toMatch(/ledgerline_projection_lag_positions\{projection="merkle-log"\} \d+/);
      expect(text).not.toContain('scrape-token-123');
    } finally {
      await booted.close();
    }
  });
});
