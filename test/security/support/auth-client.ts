import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { EventStore, RecordedEvent } from '@ledgerline/event-store';
import { loadOrCreateDevAuthKey } from '../../../apps/api/src/contexts/access/authentication/dev-auth-key';
import { mintDevToken } from '../../../apps/api/src/contexts/access/authentication/dev-token';
import { EVENT_STORE } from '../../../apps/api/src/platform/event-store/event-store.tokens';
import { SecurityEvents } from '../../../apps/api/src/platform/security-events/security-events.service';

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> | undefined;
  text: string;
}

/** One HTTP call; `token` becomes `Authorization: Bearer <token>` unless a raw `authorization` header is given. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; authorization?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  else if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${baseUrl}${path}`, { method, headers });
  const text = await response.text();
  let body: Record<string, unknown> | undefined;
  try {
    body = text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text };
}

/** Mints dev tokens with the app's own dev key (AUTH_MODE=dev, same DATA_DIR). */
export function devTokenMinter(dataDir: string, azp = 'http://localhost:3000') {
  const { privateKey } = loadOrCreateDevAuthKey(dataDir);
  return (userId: string, options: { mfaAgeMinutes?: number | null; ttlSeconds?: number; now?: number } = {}): string =>
    mintDevToken(privateKey, {
      userId,
      azp,
      ttlSeconds: options.ttlSeconds ?? 300,
      secondFactorAgeMinutes: options.mfaAgeMinutes === undefined ? 0 : options.mfaAgeMinutes,
      now: options.now,
    });
}

/** Every stored event, in global order. */
export async function allEvents(app: NestFastifyApplication): Promise<RecordedEvent[]> {
  const store = app.get<EventStore>(EVENT_STORE);
  const events: RecordedEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}

/** Writes every pending security incident now (instead of waiting for its minute to close). */
export function flushSecurityEvents(app: NestFastifyApplication): Promise<number> {
  return app.get(SecurityEvents).flush(true);
}

/** The security incidents stored so far. */
export async function securityIncidents(app: NestFastifyApplication): Promise<Record<string, unknown>[]> {
  return (await allEvents(app)).filter((event) => event.stream.startsWith('security-')).map((event) => event.data);
}
