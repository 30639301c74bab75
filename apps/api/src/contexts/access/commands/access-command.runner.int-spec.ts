import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decideAccess, rolesOf } from '@ledgerline/domain';
import { openEventStore, type EventStore } from '@ledgerline/event-store';
import { generateEd25519Pem, Keyring } from '@ledgerline/integrity';
import { SealedLedgerWriter, type CommandContext } from '@ledgerline/ledger';
import { RoleDirectory } from '../roles/role-directory';
import { AccessCommandRunner } from './access-command.runner';

const context: CommandContext = { actor: { kind: 'user', id: 'user_admin' }, correlationId: '00000000-0000-4000-8000-000000000001', causationId: '00000000-0000-4000-8000-000000000002' };
const grant = (userId: string) => (state: Parameters<typeof decideAccess>[1]) =>
  decideAccess({ type: 'GrantRole', data: { userId, role: 'compliance', grantedBy: { kind: 'user', id: 'user_admin' } }, metadata: { now: new Date().toISOString() } }, state);

describe('AccessCommandRunner (real SQLite store, two writers as two API instances)', () => {
  let dir: string;
  let store: EventStore;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-access-runner-'));
    store = await openEventStore(`sqlite:${path.join(dir, 'events.sqlite')}`);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no grant when two instances append to access-roles at once (conflicts are retried from a fresh fold)', async () => {
    const keyring = await Keyring.create({ signingKey: generateEd25519Pem() });
    const instances = [0, 1].map(() => {
      const directory = new RoleDirectory(store);
      return { directory, runner: new AccessCommandRunner(directory, new SealedLedgerWriter(store, keyring)) };
    });
    const users = Array.from({ length: 16 }, (_, i) => `user_${i}`);
    const results = await Promise.all(users.map((user, i) => instances[i % 2].runner.run(grant(user), context)));
    expect(results.every((result) => result.written === 1 && typeof result.position === 'bigint')).toBe(true);

    const revisions: number[] = [];
    for await (const event of store.readStream('access-roles')) revisions.push(event.revision);
    expect(revisions).toEqual(users.map((_, i) => i));
    for (const { directory } of instances) {
      const { state, revision } = await directory.current();
      expect(revision).toBe(users.length - 1);
      for (const user of users) expect(rolesOf(state, user)).toEqual(['compliance']);
    }
  });

  it('appends nothing when the decider decides nothing', async () => {
    const directory = new RoleDirectory(store);
    const runner = new AccessCommandRunner(directory, new SealedLedgerWriter(store, await Keyring.create({ signingKey: generateEd25519Pem() })));
    const before = await store.readLastEvent('access-roles');
    const result = await runner.run(grant('user_0'), context);
    expect(result).toMatchObject({ written: 0 });
    expect(result.position).toBeUndefined();
    expect((await store.readLastEvent('access-roles'))?.revision).toBe(before?.revision);
  });
});
