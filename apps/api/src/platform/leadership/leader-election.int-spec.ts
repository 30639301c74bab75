import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { eventually } from '../../../../../test/support/eventually';
import { PostgresLeaderElection } from './leader-election';

const PG = 'postgres://postgres@127.0.0.1:5432/test';
const quiet = { info: () => undefined, warn: () => undefined };
const inSchema = (schema: string) => `${PG}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;

describe('PostgresLeaderElection (real PostgreSQL)', () => {
  const schemas = [`lead_a_${randomBytes(6).toString('hex')}`, `lead_b_${randomBytes(6).toString('hex')}`];
  const admin = new Client({ connectionString: PG });
  const elections: PostgresLeaderElection[] = [];
  const elect = async (schema: string) => {
    const election = new PostgresLeaderElection(inSchema(schema), { elected: async () => undefined, deposed: async () => undefined }, quiet, 50);
    elections.push(election);
    await election.start();
    return election;
  };

  beforeAll(async () => {
    await admin.connect();
    for (const schema of schemas) await admin.query(`CREATE SCHEMA ${schema}`);
  });
  afterAll(async () => {
    for (const election of elections) await election.stop();
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it('elects one leader per schema: a deployment in another schema of the database is not held back', async () => {
    const [a, b] = schemas as [string, string];
    const first = await elect(a);
    const second = await elect(a);
    const elsewhere = await elect(b);
    expect([first.isLeader(), second.isLeader(), elsewhere.isLeader()]).toEqual([true, false, true]);

    await first.stop();
    await eventually(async () => second.isLeader() || undefined, 'the follower in the same schema to take over', 5_000);
    expect(elsewhere.isLeader()).toBe(true);
  });
});
