import { openCheckpoint, parseVerifierKey } from '@ledgerline/integrity';
import { bootApp, type BootedApp } from './app-boot';
import { eventually } from '../../../test/support/eventually';


describe('notary and public checkpoint routes (e2e)', () => {
  let booted: BootedApp;
  beforeAll(async () => {
    booted = await bootApp({ CHECKPOINT_INTERVAL_MS: '100', AUDIT_LOG_ORIGIN: 'e2e.example/log' });
  });
  afterAll(async () => {
    await booted.close();
  });

  it('signs a checkpoint over the bootstrap events that verifies with the published log key', async () => {
    const logKey = (await (await fetch(`${booted.baseUrl}/v1/audit/log-key`)).text()).trim();
    expect(logKey).toMatch(/^e2e\.example\/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$/);
    const note = await eventually(async () => {
      const response = await fetch(`${booted.baseUrl}/v1/audit/checkpoints/latest`);
      return response.status === 200 ? response.text() : undefined;
    });
    const checkpoint = openCheckpoint(note, parseVerifierKey(logKey));
    expect(checkpoint.origin).toBe('e2e.example/log');
    // BOOTSTRAP_ADMINS and BOOTSTRAP_COMPLIANCE defaults in dev: two sealed grants.
    expect(checkpoint.size).toBeGreaterThanOrEqual(2);
  });

  it('serves consistency proofs and refuses sizes beyond the newest checkpoint', async () => {
    const response = await fetch(`${booted.baseUrl}/v1/audit/checkpoints/consistency?from=1&to=2`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { proof: string[] };
    expect(body).toMatchObject({ from: 1, to: 2 });
    expect(body.proof).toHaveLength(1);
    for (const query of ['from=0&to=1', 'from=2&to=1', 'from=1&to=999999', 'from=abc&to=2', 'from=1']) {
      const bad = await fetch(`${booted.baseUrl}/v1/audit/checkpoints/consistency?${query}`);
      expect({ query, status: bad.status }).toEqual({ query, status: 400 });
      expect(bad.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});
