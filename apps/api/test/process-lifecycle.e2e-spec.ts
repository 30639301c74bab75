import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomPort, startApiProcess } from '../../../test/support/api-process';

describe('API process lifecycle (e2e, real process)', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-proc-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts on the embedded default and stops cleanly on SIGTERM', async () => {
    const api = await startApiProcess({ DATA_DIR: dataDir }, randomPort());
    expect(existsSync(path.join(dataDir, 'events.sqlite'))).toBe(true);
    api.child.kill('SIGTERM');
    const { code } = await api.exited;
    expect(code).toBe(0);
    expect(api.output()).not.toContain('"level":"error"');
    expect(api.output()).toContain('"message":"stopped"');
  });

  it('refuses to start in production with dev auth, naming the variable', async () => {
    await expect(startApiProcess({ DATA_DIR: dataDir, NODE_ENV: 'production', AUTH_MODE: 'dev' }, randomPort())).rejects.toThrow(
      /AUTH_MODE/,
    );
  });
});
