import { leafHash, openCheckpoint, parseVerifierKey } from '@ledgerline/integrity';
import { bootApp, type BootedApp } from './app-boot';
import { eventually } from '../../../test/support/eventually';

/** The c2sp.org/tlog-tiles routes over HTTP: formats, caching, bounds, errors, rate limit (SPEC §4). */
const IP_LIMIT = 60;

describe('tlog-tiles routes (e2e)', () => {
  let booted: BootedApp;
  let size: number;
  const get = (path: string, headers: Record<string, string> = {}): Promise<Response> => fetch(`${booted.baseUrl}${path}`, { headers });

  beforeAll(async () => {
    booted = await bootApp({ CHECKPOINT_INTERVAL_MS: '100', AUDIT_LOG_ORIGIN: 'tiles.example/log', RATE_LIMIT_IP_PER_MIN: String(IP_LIMIT) });
    const note = await eventually(async () => {
      const response = await get('/checkpoint');
      return response.status === 200 ? response.text() : undefined;
    }, 'the first checkpoint');
    size = Number(note.split('\n')[1]);
  });
  afterAll(async () => {
    await booted.close();
  });

  it('publishes the signed checkpoint as text, not cached beyond revalidation, without a token', async () => {
    const response = await get('/checkpoint');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const note = await response.text();
    const logKey = (await (await get('/v1/audit/log-key')).text()).trim();
    expect(openCheckpoint(note, parseVerifierKey(logKey))).toMatchObject({ origin: 'tiles.example/log', size });
  });

  it('serves the partial level-0 tile and entry bundle of the checkpoint: each tile hash is the leaf hash of its entry', async () => {
    // Bootstrap grants only (a few leaves): every tile of this tree is partial.
    expect(size).toBeGreaterThanOrEqual(2);
    expect(size).toBeLessThan(256);
    const tile = await get(`/tile/0/000.p/${size}`);
    expect(tile.status).toBe(200);
    expect(tile.headers.get('content-type')).toBe('application/octet-stream');
    expect(tile.headers.get('cache-control')).toBe('public, max-age=3600');
    const hashes = Buffer.from(await tile.arrayBuffer());
    expect(hashes.length).toBe(32 * size);

    const bundle = await get(`/tile/entries/000.p/${size}`);
    expect(bundle.status).toBe(200);
    const entries = Buffer.from(await bundle.arrayBuffer());
    expect(entries.length).toBe(34 * size);
    for (let i = 0; i < size; i++) {
      expect(entries.readUInt16BE(34 * i)).toBe(32);
      expect(leafHash(entries.subarray(34 * i + 2, 34 * (i + 1)))).toEqual(hashes.subarray(32 * i, 32 * (i + 1)));
    }
    // A narrower (older) partial tile is the prefix of the wider one.
    const narrow = Buffer.from(await (await get('/tile/0/000.p/1')).arrayBuffer());
    expect(narrow).toEqual(hashes.subarray(0, 32));
  });

  it.each(['/tile/0/000', '/tile/entries/000', '/tile/1/000.p/1', '/tile/0/001.p/1', '/tile/0/x001/000'])(
    'answers 404 for %s, which the published checkpoint does not cover',
    async (path) => {
      const response = await get(path);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const body = (await response.json()) as { type: string; detail: string };
      expect(body.type).toMatch(/\/tile-not-found$/);
      expect(body.detail).toContain(`tree size ${size}`);
    },
  );

  it('answers 404 for a partial tile wider than the checkpoint', async () => {
    expect((await get(`/tile/0/000.p/${size + 1}`)).status).toBe(404);
    expect((await get(`/tile/entries/000.p/${size + 1}`)).status).toBe(404);
  });

  it.each([
    ['/tile/', 'level'],
    ['/tile/00/000', 'level'],
    ['/tile/64/000', 'level'],
    ['/tile/data/000', 'level'],
    ['/tile/0/5', 'groups of 3 digits'],
    ['/tile/0/x000/001', 'x000'],
    ['/tile/0/000.p/256', 'width'],
    ['/tile/entries/000.p/0', 'width'],
    ['/tile/0/000/', 'groups of 3 digits'],
  ])('answers 400 for the malformed path %s, saying what is wrong', async (path, reason) => {
    const response = await get(path);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const body = (await response.json()) as { type: string; detail: string };
    expect(body.type).toMatch(/\/invalid-tile-path$/);
    expect(body.detail).toContain(reason);
    expect(JSON.stringify(body)).not.toMatch(/merkle_|SELECT|\.ts:|at /);
  });

  it('rate-limits the tiles per client IP like every public route', async () => {
    let limited: Response | undefined;
    for (let i = 0; i <= IP_LIMIT && limited === undefined; i++) {
      const response = await get('/tile/0/000.p/1');
      if (response.status === 429) limited = response;
      else await response.arrayBuffer();
    }
    expect(limited?.status).toBe(429);
    expect(limited?.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
