import type { EventStore } from '@ledgerline/event-store';
import { EVENT_STORE } from '../src/platform/event-store/event-store.tokens';
import { bootApp } from './app-boot';

describe('internal errors (e2e)', () => {
  it('answers a store failure with a bare 500 problem whose errorId is in the log, and nothing internal', async () => {
    const booted = await bootApp();
    try {
      const token = booted.token('user_err');
      // Break the real store underneath the running app: every append now fails inside the adapter.
      await booted.app.get<EventStore>(EVENT_STORE).close();
      const response = await fetch(`${booted.baseUrl}/v1/documents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'will fail', body: 'text' }),
      });
      expect(response.status).toBeGreaterThanOrEqual(500);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const text = await response.text();
      const body = JSON.parse(text) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['errorId', 'status', 'title', 'type']);
      expect(text).not.toMatch(/sqlite|closed|Error:|at \w+ \(|\/work\/|node_modules|SELECT|INSERT|\.ts\b|\.js\b/i);
      expect(booted.logs()).toContain(String(body.errorId));
    } finally {
      await booted.close().catch(() => undefined);
    }
  });
});
