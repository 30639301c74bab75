import { PassThrough } from 'node:stream';
import { createLogger } from './logger';
import { Sensitive } from './redact';

function capture(format: 'json' | 'pretty') {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  const logger = createLogger({ level: 'debug', format, stream });
  return { logger, text: () => chunks.join('') };
}

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEifQ.c2lnbmF0dXJlLWJ5dGVz';
const EMAIL = 'canary.person+42@example.org';

describe('logger redaction', () => {
  it.each(['json', 'pretty'] as const)('never writes an Authorization value or a profile e-mail (%s)', (format) => {
    const { logger, text } = capture(format);
    logger.info('incoming', { headers: { authorization: `Bearer ${TOKEN}`, 'user-agent': 'curl' } });
    logger.info(`login failed for ${EMAIL} with Bearer ${TOKEN}`);
    logger.warn('profile', { profile: { email: EMAIL, displayName: 'Adalind Canary' } });
    logger.error('boom', { error: new Error(`could not parse ${TOKEN}`) });
    logger.info('marked', { note: new Sensitive('hunter2-secret-note') });
    logger.info('stripe', { key: 'sk_live_abcdefghijklmnop', nested: { deep: [{ apiKey: 'k-123456' }] } });
    const out = text();
    expect(out).toContain('incoming');
    expect(out).toContain('curl');
    for (const secret of [TOKEN, EMAIL, 'Adalind Canary', 'hunter2-secret-note', 'sk_live_abcdefghijklmnop', 'k-123456']) {
      expect(out).not.toContain(secret);
    }
  });

  it("keeps a line's request id as it was given (never redacted), and adds none to a line without one", () => {
    const { logger, text } = capture('json');
    logger.info('inside', { requestId: 'req-123' });
    logger.info('outside');
    const lines = text().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ message: 'inside', requestId: 'req-123', level: 'info' });
    expect(lines[1].requestId).toBeUndefined();
  });
});
