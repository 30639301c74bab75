import { randomUUID } from 'node:crypto';
import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { makeTestCertificates, standInFixtures, type EsdbStandIn, type EsdbStandInOptions, type TestCertificates } from '../../../../test/esdb-stand-in';
import { AppendTooLargeError, EventStoreAccessDeniedError, InvalidEventStoreInputError } from '../event-store.errors';
import type { NewEvent, RecordedEvent } from '../event-store.port';
import { EsdbEventStore, type EsdbEventStoreOptions } from './esdb-event-store';

// Where the adapter relies on KurrentDB behaviour beyond the happy path: append size, leadership, positions,
// write timeouts, TLS and ACLs. The stand-in models each from the server source named in its comments.

const fixtures = standInFixtures();
const node = (options: EsdbStandInOptions = {}): Promise<EsdbStandIn> => fixtures.start(options);
const open = (url: string, options?: EsdbEventStoreOptions): EsdbEventStore => fixtures.track(new EsdbEventStore(url, options));

const event = (data: Record<string, unknown> = {}): NewEvent => ({ id: randomUUID(), type: 'Tested', data, metadata: {} });

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

describe('EsdbEventStore: maximum append size (ClusterVNodeOptions.cs MaxAppendSize)', () => {
  it('refuses an append over the limit before sending it, and names a single event that alone is over', async () => {
    const standIn = await node({ maxAppendBytes: 4096 });
    const store = open(standIn.url, { maxAppendBytes: 4096 });
    const appendsBefore = standIn.calls.append;
    const big = event({ blob: 'x'.repeat(5000) });
    expect(await failure(store.append('big-1', [big], 'any'))).toMatchObject({ code: 'append-too-large', eventId: big.id, maxBytes: 4096 });
    const many = Array.from({ length: 10 }, () => event({ blob: 'y'.repeat(500) }));
    const error = await failure(store.append('big-1', many, 'any'));
    expect(error).toBeInstanceOf(AppendTooLargeError);
    expect(error).toMatchObject({ eventId: undefined, maxBytes: 4096 });
    expect(standIn.calls.append).toBe(appendsBefore);
    await expect(store.append('big-1', many.slice(0, 5), 'no_stream')).resolves.toMatchObject({ nextExpectedRevision: 4 });
  });

  it('maps the server’s own refusal (a limit smaller than configured) to the same error, with the server’s limit', async () => {
    const standIn = await node({ maxAppendBytes: 4096 });
    const store = open(standIn.url, { maxAppendBytes: 1024 * 1024 });
    const error = await failure(store.append('big-2', Array.from({ length: 10 }, () => event({ blob: 'z'.repeat(500) })), 'any'));
    expect(error).toBeInstanceOf(AppendTooLargeError);
    expect(error).toMatchObject({ maxBytes: 4096 });
    expect(standIn.log.streamIndexes('big-2')).toBeUndefined();
  });
});

describe('EsdbEventStore: leader-only writes and head reads (ClusterVNodeController.cs NotLeader)', () => {
  it('moves to the leader a follower names, and reads the fresh head there while the follower lags', async () => {
    const leader = await node();
    const follower = await node({ followerOf: leader });
    const writer = open(leader.url);
    await writer.append('doc-1', [event({ n: 0 })], 'no_stream');
    follower.replicate();
    const newest = await writer.append('doc-1', [event({ n: 1 })], 0);
    const store = open(follower.url);
    // Without requiresLeader the follower would answer from its replica: revision 0.
    expect((await store.readLastEvent('doc-1'))?.revision).toBe(1);
    const appended = await store.append('doc-1', [event({ n: 2 })], 1);
    expect(appended).toMatchObject({ nextExpectedRevision: 2 });
    expect(appended.position > newest.position).toBe(true);
    expect(follower.log.streamIndexes('doc-1')).toHaveLength(1);
  });
});

describe('EsdbEventStore: positions (StorageReaderWorker.cs / RpcExceptions.cs InvalidPosition, Enumerator.AllSubscription.cs)', () => {
  it('refuses a position that is not where an event starts, in reads and subscriptions, with a clear error and no retrying', async () => {
    const standIn = await node({ seedSystemEvents: false });
    const store = open(standIn.url, { resubscribeForMs: 30_000 });
    await store.append('pos-1', [event(), event(), event()], 'no_stream');
    const all = await collect(store.readAll());
    const between = all[0].position + 1n;
    const read = await failure(collect(store.readAll({ after: between })));
    expect(read).toBeInstanceOf(InvalidEventStoreInputError);
    expect((read as Error).message).toMatch(new RegExp(`position ${between} .*positions the store returned`));
    const started = Date.now();
    const subscription = store.subscribeAll({ after: between });
    expect(await failure(subscription[Symbol.asyncIterator]().next())).toBeInstanceOf(InvalidEventStoreInputError);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('subscribes after a returned position: nothing at or before it', async () => {
    const standIn = await node();
    const store = open(standIn.url);
    await store.append('pos-2', [event(), event(), event()], 'no_stream');
    const all: RecordedEvent[] = await collect(store.readAll());
    const subscription = store.subscribeAll({ after: all[1].position });
    expect((await subscription[Symbol.asyncIterator]().next()).value?.id).toBe(all[2].id);
    await subscription.close();
  });
});

describe('EsdbEventStore: write timeouts (IndexWriter.cs idempotent writes)', () => {
  it.each([
    ['commit-then-timeout', false],
    ['timeout-before-commit', false],
    ['commit-then-timeout', true],
  ] as const)('reports a %s append as written, once (idempotent reply without position: %s)', async (fault, idempotentWithoutPosition) => {
    const standIn = await node({ idempotentWithoutPosition });
    const store = open(standIn.url, { timeoutBackoffMs: 1 });
    await store.append('timeout-1', [event()], 'no_stream');
    standIn.appendFaults.push(fault);
    const events = [event({ n: 1 }), event({ n: 2 })];
    const result = await store.append('timeout-1', events, 0);
    const stored = await collect(store.readStream('timeout-1'));
    expect(stored.map((e) => e.id).slice(1)).toEqual(events.map((e) => e.id));
    expect(result).toEqual({ nextExpectedRevision: 2, position: stored[2].position });
  });

  it('gives up after its retries and reports the timeout', async () => {
    const standIn = await node();
    const store = open(standIn.url, { timeoutRetries: 1, timeoutBackoffMs: 1 });
    standIn.appendFaults.push('timeout-before-commit', 'timeout-before-commit');
    expect(await failure(store.append('timeout-2', [event()], 'no_stream'))).toMatchObject({ type: 'timeout' });
    expect(standIn.log.streamIndexes('timeout-2')).toBeUndefined();
  });
});

describe('EsdbEventStore: TLS, credentials and ACLs (SystemSettings.cs, LegacyStreamPermissionAssertion.cs)', () => {
  let certificates: TestCertificates;
  beforeAll(() => (certificates = makeTestCertificates()));
  afterAll(() => certificates.remove());

  // The users deploy/eventstore/setup-users.mjs creates, and a user in no Ledgerline group.
  const users = {
    admin: { password: 'admin-secret', groups: ['$admins'] },
    'ledgerline-api': { password: 'api-secret', groups: ['ledgerline-writers'] },
    'ledgerline-verifier': { password: 'verifier-secret', groups: ['ledgerline-readers'] },
    outsider: { password: 'outsider-secret', groups: [] },
  };
  const url = (standIn: EsdbStandIn, login: string, password: string, ca = certificates.caFile): string =>
    `esdb://${login}:${password}@localhost:${standIn.port}?tls=true&tlsCAFile=${encodeURIComponent(ca)}`;

  /** A TLS node with those users; `setupRan`: the ACLs written as setup-users.mjs writes them (step 3), else a fresh node's. */
  async function tlsNode(setupRan: boolean): Promise<EsdbStandIn> {
    const standIn = await node({ host: 'localhost', tls: certificates, users });
    if (!setupRan) return standIn;
    // The values test/deploy/esdb-setup.int-spec.ts pins setup-users.mjs to.
    const readers = ['$admins', 'ledgerline-writers', 'ledgerline-readers'];
    const admin = EventStoreDBClient.connectionString(url(standIn, 'admin', 'admin-secret'));
    const acl = {
      $userStreamAcl: { $r: readers, $w: ['$admins', 'ledgerline-writers'], $d: ['$admins'], $mr: readers, $mw: ['$admins'] },
      $systemStreamAcl: { $r: ['$admins'], $w: ['$admins'], $d: ['$admins'], $mr: ['$admins'], $mw: ['$admins'] },
    };
    try {
      await admin.appendToStream('$settings', jsonEvent({ type: 'update-default-acl', data: acl }));
      await admin.setStreamMetadata('$all', { acl: { readRoles: readers } });
    } finally {
      await admin.dispose();
    }
    return standIn;
  }

  it('connects over TLS to a node whose certificate the given CA signed, and refuses one it did not', async () => {
    const standIn = await tlsNode(true);
    const store = open(url(standIn, 'ledgerline-api', 'api-secret'));
    await store.append('tls-1', [event()], 'no_stream');
    expect(await collect(store.readAll())).toHaveLength(1);
    const wrongCa = await failure(open(url(standIn, 'ledgerline-api', 'api-secret', certificates.otherCaFile)).ping());
    expect(String(wrongCa)).toMatch(/certificate|UNAVAILABLE|No connection established/i);
  });

  it('names the missing right when the server denies access, and never the credentials', async () => {
    const standIn = await tlsNode(true);
    const denied = async (promise: Promise<unknown>, right: string): Promise<void> => {
      const error = await failure(promise);
      expect(error).toBeInstanceOf(EventStoreAccessDeniedError);
      expect(error).toMatchObject({ missingRight: right });
      expect((error as Error).message).not.toMatch(/secret/);
    };
    await denied(open(url(standIn, 'ledgerline-api', 'wrong-secret')).ping(), 'valid credentials in EVENTSTORE_URL (user and password)');
    await denied(open(url(standIn, 'ledgerline-verifier', 'verifier-secret')).append('doc-1', [event()], 'any'), '$w on doc-1');
    await denied(collect(open(url(standIn, 'outsider', 'outsider-secret')).readAll()), '$r on $all');
    await expect(collect(open(url(standIn, 'ledgerline-verifier', 'verifier-secret')).readAll())).resolves.toEqual([]);
  });

  it('on a fresh node’s ACLs ($all readable by $admins only) a writer cannot read $all, nor subscribe to it', async () => {
    const standIn = await tlsNode(false);
    const store = open(url(standIn, 'ledgerline-api', 'api-secret'), { resubscribeForMs: 30_000 });
    await store.append('acl-1', [event()], 'no_stream');
    await expect(store.headPosition()).rejects.toMatchObject({ missingRight: '$r on $all' });
    await expect(store.subscribeAll()[Symbol.asyncIterator]().next()).rejects.toMatchObject({ missingRight: '$r on $all' });
    await expect(open(url(standIn, 'admin', 'admin-secret')).headPosition()).resolves.toBeDefined();
  });
});
