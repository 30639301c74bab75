#!/usr/bin/env node
// One-shot EventStoreDB (KurrentDB) access setup for Ledgerline, safe to run again:
//   1. replaces the default `admin` password (`changeit`) with the one in the admin secret,
//   2. creates `ledgerline-api` (group ledgerline-writers) and `ledgerline-verifier` (group
//      ledgerline-readers), or resets their passwords to the secrets' values when they exist,
//   3. sets the default stream ACLs in `$settings` (user streams readable by both groups, writable
//      by the writers only; system streams and deletes/metadata for $admins only) and the `$all`
//      read ACL.
// docker-compose.yml runs it as the `esdb-setup` service before the API and the worker start.
//
// Inputs are files (never arguments or variables holding secrets):
//   EVENTSTORE_ADMIN_URL_FILE   esdb://admin:<password>@host:2113,…?tls=true&tlsCAFile=…
//   EVENTSTORE_API_PASSWORD_FILE, EVENTSTORE_VERIFIER_PASSWORD_FILE
// Optional: EVENTSTORE_HTTP_URL (the users API base; default https://<first host of the URL>).
// Output names users and steps, never a password.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import dbClient from '@eventstore/db-client';

const { EventStoreDBClient, jsonEvent } = dbClient;
const DEFAULT_ADMIN_PASSWORD = 'changeit';
export const WRITERS = 'ledgerline-writers';
export const READERS = 'ledgerline-readers';

/** The access Ledgerline needs: writers append, readers (verifier, exports) only read. */
export function defaultAcl() {
  const readers = ['$admins', WRITERS, READERS];
  return {
    $userStreamAcl: { $r: readers, $w: ['$admins', WRITERS], $d: ['$admins'], $mr: readers, $mw: ['$admins'] },
    $systemStreamAcl: { $r: ['$admins'], $w: ['$admins'], $d: ['$admins'], $mr: ['$admins'], $mw: ['$admins'] },
  };
}

function secretFile(env, name) {
  const file = env[name];
  if (!file) throw new Error(`${name} is not set`);
  const value = readFileSync(file, 'utf8').trim();
  if (value === '') throw new Error(`${name} names an empty file`);
  return value;
}

/** The admin connection string's parts (WHATWG URL does not parse esdb's comma-separated seed list). */
export function parseConnectionString(text) {
  const match = /^esdb(?:\+discover)?:\/\/([^:@/]+):([^@/]+)@([^/?]+)\/?(?:\?(.*))?$/.exec(text);
  if (!match) throw new Error('EVENTSTORE_ADMIN_URL_FILE must hold esdb://admin:<password>@host:port[,host:port…][?options]');
  return { username: decodeURIComponent(match[1]), password: decodeURIComponent(match[2]), hosts: match[3].split(','), params: new URLSearchParams(match[4] ?? '') };
}

function usersApi(baseUrl, caFile) {
  const base = new URL(baseUrl);
  const transport = base.protocol === 'https:' ? https : http;
  const ca = caFile ? readFileSync(caFile) : undefined;
  return (method, path, login, password, body) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const request = transport.request(new URL(path, base), {
        method,
        ca,
        auth: `${login}:${password}`,
        headers: { accept: 'application/json', ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}) },
        timeout: 10_000,
      });
      request.on('response', (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      });
      request.on('timeout', () => request.destroy(new Error(`${method} ${path} timed out`)));
      request.on('error', reject);
      request.end(payload);
    });
}

function expectStatus(step, status, allowed) {
  if (!allowed.includes(status)) throw new Error(`${step}: the users API answered ${status}`);
}

/** Runs the setup; `log` receives one line per step. */
export async function setupEventStoreAccess(env = process.env, log = (line) => console.log(line)) {
  const connectionString = secretFile(env, 'EVENTSTORE_ADMIN_URL_FILE');
  const adminUrl = parseConnectionString(connectionString);
  const adminPassword = adminUrl.password;
  if (adminUrl.username !== 'admin') throw new Error('EVENTSTORE_ADMIN_URL_FILE must name the admin user');
  if (adminPassword === DEFAULT_ADMIN_PASSWORD) throw new Error('the admin secret is still the default password: generate one (deploy/generate-secrets.sh)');
  const users = [
    { login: 'ledgerline-api', group: WRITERS, password: secretFile(env, 'EVENTSTORE_API_PASSWORD_FILE') },
    { login: 'ledgerline-verifier', group: READERS, password: secretFile(env, 'EVENTSTORE_VERIFIER_PASSWORD_FILE') },
  ];
  const tls = adminUrl.params.get('tls') !== 'false';
  const call = usersApi(env.EVENTSTORE_HTTP_URL ?? `${tls ? 'https' : 'http'}://${adminUrl.hosts[0]}`, adminUrl.params.get('tlsCAFile') ?? undefined);

  // 1. The admin password: the secret's, changed from the default on a fresh cluster.
  let status = await call('GET', '/users/admin', 'admin', adminPassword);
  if (status === 401) {
    const change = await call('POST', '/users/admin/command/change-password', 'admin', DEFAULT_ADMIN_PASSWORD, {
      currentPassword: DEFAULT_ADMIN_PASSWORD,
      newPassword: adminPassword,
    });
    expectStatus('changing the default admin password (is the admin secret the one set earlier?)', change, [200]);
    log('admin: default password replaced by the secret');
    status = await call('GET', '/users/admin', 'admin', adminPassword);
  }
  expectStatus('signing in as admin', status, [200]);

  // 2. The two service users, created or brought back to the secrets' passwords and groups.
  for (const user of users) {
    const created = await call('POST', '/users/', 'admin', adminPassword, {
      loginName: user.login,
      fullName: user.login,
      groups: [user.group],
      password: user.password,
    });
    if (created === 409) {
      expectStatus(`updating ${user.login}`, await call('PUT', `/users/${user.login}`, 'admin', adminPassword, { fullName: user.login, groups: [user.group] }), [200]);
      expectStatus(`resetting ${user.login}'s password`, await call('POST', `/users/${user.login}/command/reset-password`, 'admin', adminPassword, { newPassword: user.password }), [200]);
      log(`${user.login}: exists, group ${user.group}, password reset to the secret`);
    } else {
      expectStatus(`creating ${user.login}`, created, [201]);
      log(`${user.login}: created in group ${user.group}`);
    }
  }

  // 3. Stream ACLs through the gRPC client (AtomPub over HTTP is off in the cluster).
  const client = EventStoreDBClient.connectionString(connectionString);
  try {
    await client.appendToStream('$settings', jsonEvent({ type: 'update-default-acl', data: defaultAcl() }));
    await client.setStreamMetadata('$all', { acl: { readRoles: ['$admins', WRITERS, READERS] } });
    log(`ACLs: user streams read by $admins, ${WRITERS}, ${READERS}; written by $admins, ${WRITERS}; $all read by the same readers`);
  } finally {
    await client.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  setupEventStoreAccess().catch((error) => {
    console.error(`esdb-setup: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
