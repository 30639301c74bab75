import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startEsdbStandIn, type EsdbStandIn } from '../esdb-stand-in';
import { REPO_ROOT } from '../support/api-process';

const run = promisify(execFile);
const SCRIPT = path.join(REPO_ROOT, 'deploy/eventstore/setup-users.mjs');

interface User {
  password: string;
  groups: string[];
}

/**
 * The part of EventStoreDB's HTTP users API the setup calls (routes and status codes of its
 * UsersController: POST /users/ 201|409, PUT /users/{login}, POST …/command/reset-password and
 * …/command/change-password, Basic authentication, admin-only management), over an in-memory user
 * table that starts as a fresh node does: admin / changeit.
 */
function startUsersApi(): Promise<{ url: string; users: Map<string, User>; close(): Promise<void> }> {
  const users = new Map<string, User>([['admin', { password: 'changeit', groups: ['$admins'] }]]);
  const server = http.createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const [login, password] = Buffer.from((request.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':');
      const caller = users.get(login);
      const reply = (status: number) => response.writeHead(status).end();
      if (!caller || caller.password !== password) return reply(401);
      const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      const url = request.url ?? '';
      const isAdmin = caller.groups.includes('$admins');
      let match: RegExpExecArray | null;
      if ((match = /^\/users\/([^/]+)\/command\/change-password$/.exec(url)) && request.method === 'POST') {
        if (match[1] !== login || input.currentPassword !== caller.password) return reply(401);
        caller.password = String(input.newPassword);
        return reply(200);
      }
      if (!isAdmin) return reply(401);
      if (url === '/users/' && request.method === 'POST') {
        if (users.has(String(input.loginName))) return reply(409);
        users.set(String(input.loginName), { password: String(input.password), groups: input.groups as string[] });
        return reply(201);
      }
      if ((match = /^\/users\/([^/]+)$/.exec(url))) {
        const user = users.get(match[1]);
        if (!user) return reply(404);
        if (request.method === 'PUT') user.groups = input.groups as string[];
        return reply(200);
      }
      if ((match = /^\/users\/([^/]+)\/command\/reset-password$/.exec(url)) && request.method === 'POST') {
        const user = users.get(match[1]);
        if (!user) return reply(404);
        user.password = String(input.newPassword);
        return reply(200);
      }
      return reply(404);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        users,
        close: () => new Promise((done) => server.close(() => done())),
      }),
    ),
  );
}

/**
 * deploy/eventstore/setup-users.mjs, run as docker-compose's `esdb-setup` runs it (a child process,
 * secrets in files), against the gRPC stand-in for the ACL appends and a users-API stand-in. What a
 * real KurrentDB then enforces (the ACLs themselves) is not proved here: no server runs on this machine.
 */
describe('esdb-setup: EventStoreDB users and stream ACLs for least privilege', () => {
  let esdb: EsdbStandIn;
  let usersApi: Awaited<ReturnType<typeof startUsersApi>>;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-esdb-setup-'));
  const secret = (name: string, value: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, `${value}\n`, { mode: 0o600 });
    return file;
  };
  const setup = (adminPassword: string, apiPassword = 'api-password-1', verifierPassword = 'verifier-password-1') =>
    run(process.execPath, [SCRIPT], {
      env: {
        PATH: process.env.PATH ?? '',
        EVENTSTORE_ADMIN_URL_FILE: secret('admin_url', `esdb://admin:${adminPassword}@127.0.0.1:${esdb.port}?tls=false`),
        EVENTSTORE_API_PASSWORD_FILE: secret('api_password', apiPassword),
        EVENTSTORE_VERIFIER_PASSWORD_FILE: secret('verifier_password', verifierPassword),
        EVENTSTORE_HTTP_URL: usersApi.url,
      },
    });
  const eventsOf = (stream: string) =>
    esdb.log.events.filter((e) => e.stream === stream).map((e) => ({ type: e.type, data: JSON.parse(Buffer.from(e.data).toString()) as unknown }));

  beforeAll(async () => {
    esdb = await startEsdbStandIn();
    usersApi = await startUsersApi();
  });
  afterAll(async () => {
    await esdb.stop();
    await usersApi.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('replaces the default admin password, creates the writer and the read-only user, and sets the ACLs', async () => {
    const { stdout } = await setup('admin-secret-1');
    expect(usersApi.users.get('admin')?.password).toBe('admin-secret-1');
    expect(usersApi.users.get('ledgerline-api')).toEqual({ password: 'api-password-1', groups: ['ledgerline-writers'] });
    expect(usersApi.users.get('ledgerline-verifier')).toEqual({ password: 'verifier-password-1', groups: ['ledgerline-readers'] });
    const readers = ['$admins', 'ledgerline-writers', 'ledgerline-readers'];
    expect(eventsOf('$settings').at(-1)).toEqual({
      type: 'update-default-acl',
      data: {
        $userStreamAcl: { $r: readers, $w: ['$admins', 'ledgerline-writers'], $d: ['$admins'], $mr: readers, $mw: ['$admins'] },
        $systemStreamAcl: { $r: ['$admins'], $w: ['$admins'], $d: ['$admins'], $mr: ['$admins'], $mw: ['$admins'] },
      },
    });
    expect(eventsOf('$$$all').at(-1)).toEqual({ type: '$metadata', data: { $acl: { $r: readers } } });
    expect(stdout).not.toMatch(/admin-secret-1|api-password-1|verifier-password-1/);
  });

  it('runs again on every `up`: existing users get their groups and the secrets\' passwords back', async () => {
    usersApi.users.get('ledgerline-api')!.groups = ['$admins'];
    await setup('admin-secret-1', 'api-password-2', 'verifier-password-2');
    expect(usersApi.users.get('ledgerline-api')).toEqual({ password: 'api-password-2', groups: ['ledgerline-writers'] });
    expect(usersApi.users.get('ledgerline-verifier')).toEqual({ password: 'verifier-password-2', groups: ['ledgerline-readers'] });
  });

  it('refuses the default password as the admin secret, and a wrong admin secret, naming the step', async () => {
    await expect(setup('changeit')).rejects.toMatchObject({ stderr: expect.stringMatching(/still the default password/) });
    await expect(setup('not-the-admin-secret')).rejects.toMatchObject({ stderr: expect.stringMatching(/changing the default admin password.*401/) });
    expect(usersApi.users.get('admin')?.password).toBe('admin-secret-1');
  });
});
