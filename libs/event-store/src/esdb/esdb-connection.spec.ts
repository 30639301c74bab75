import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { openEventStore } from '../open-event-store';
import { summarizeEsdbUrl } from './esdb-connection';
import { EsdbEventStore } from './esdb-event-store';

const dir = mkdtempSync(join(tmpdir(), 'ledgerline-esdb-url-'));
const caFile = join(dir, 'ca.pem');
writeFileSync(caFile, rootCertificates[0]);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('EventStoreDB connection strings (parsed by the client, nothing connects)', () => {
  it('reads a TLS cluster with a CA file and credentials, and reports it without the password', () => {
    const url = `esdb+discover://admin:s3cret@a.example,b.example:2114,c.example?tls=true&tlsCAFile=${caFile}`;
    const summary = summarizeEsdbUrl(url);
    expect(summary).toEqual({
      hosts: ['a.example:2113', 'b.example:2114', 'c.example:2113'],
      discover: true,
      tls: true,
      tlsCAFile: caFile,
      authenticated: true,
    });
    expect(JSON.stringify(summary)).not.toContain('s3cret');
  });

  it('turns TLS on unless the string says tls=false', () => {
    expect(summarizeEsdbUrl('esdb://db.example').tls).toBe(true);
    expect(summarizeEsdbUrl('esdb://db.example:2113?tls=false').tls).toBe(false);
  });

  it("accepts KurrentDB's scheme names as the esdb ones", () => {
    expect(summarizeEsdbUrl('kurrentdb://db.example:2113?tls=false')).toMatchObject({ hosts: ['db.example:2113'], discover: false, tls: false });
    expect(summarizeEsdbUrl('kurrentdb+discover://cluster.example')).toMatchObject({ hosts: ['cluster.example:2113'], discover: true });
  });

  it('opens a store lazily: a cluster URL with a CA file constructs and closes without touching the network', async () => {
    const store = new EsdbEventStore(`esdb+discover://admin:s3cret@a.invalid,b.invalid,c.invalid?tls=true&tlsCAFile=${caFile}`);
    await expect(store.close()).resolves.toBeUndefined();
    const viaOpen = await openEventStore('kurrentdb+discover://a.invalid:2113?tls=true');
    expect(viaOpen).toBeInstanceOf(EsdbEventStore);
    await viaOpen.close();
  });

  it('refuses bad strings with messages that never echo the password', () => {
    const attempts: Array<[string, RegExp]> = [
      ['esdb://admin:s3cret@db.example:notaport', /invalid EventStoreDB connection string: expected port number/],
      ['esdb://admin:s3cret@db.example?tlsCAFile=/nonexistent/ca.pem', /certificate file/i],
      ['esdb://admin:s3cret@db.example?throwOnAppendFailure=false', /throwOnAppendFailure=false is not supported/],
      ['mongodb://admin:s3cret@db.example', /invalid EventStoreDB connection string/],
    ];
    for (const [url, message] of attempts) {
      let error: Error | undefined;
      try {
        new EsdbEventStore(url);
      } catch (caught) {
        error = caught as Error;
      }
      expect(error?.message).toMatch(message);
      expect(error?.message).not.toContain('s3cret');
    }
  });
});
