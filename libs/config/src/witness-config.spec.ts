import { ConfigError } from './config.errors';
import { loadConfig, loadWitnessConfig } from './load-config';

const URLS = 'http://w1.test:3100,http://w2.test:3100';
const KEYS = 'w1+00000000+BA==,w2+00000000+BA==';

describe('witness configuration', () => {
  it('has no witnesses by default (quorum 0: checkpoints published as signed)', () => {
    expect(loadConfig({})).toMatchObject({ witnessUrls: [], witnessKeys: [], witnessQuorum: 0 });
  });

  it('takes URLs, one key per URL, and an explicit quorum from 1 to n (keys also from WITNESS_KEYS_FILE)', () => {
    expect(loadConfig({ WITNESS_URLS: URLS, WITNESS_KEYS: KEYS, WITNESS_QUORUM: '2' })).toMatchObject({ witnessUrls: URLS.split(','), witnessQuorum: 2 });
    expect(loadConfig({ WITNESS_URLS: URLS, WITNESS_KEYS_FILE: '/keys', WITNESS_QUORUM: '1' }, () => KEYS).witnessKeys).toEqual(KEYS.split(','));
    const refused: [Record<string, string>, string][] = [
      [{ WITNESS_URLS: URLS, WITNESS_KEYS: KEYS }, 'WITNESS_QUORUM'],
      [{ WITNESS_URLS: URLS, WITNESS_KEYS: KEYS, WITNESS_QUORUM: '3' }, 'WITNESS_QUORUM'],
      [{ WITNESS_URLS: URLS, WITNESS_KEYS: KEYS, WITNESS_QUORUM: '0' }, 'WITNESS_QUORUM'],
      [{ WITNESS_URLS: URLS, WITNESS_KEYS: 'w1+00000000+BA==', WITNESS_QUORUM: '1' }, 'WITNESS_KEYS'],
      [{ WITNESS_URLS: 'ftp://w1.test', WITNESS_KEYS: 'k', WITNESS_QUORUM: '1' }, 'WITNESS_URLS'],
      [{ WITNESS_QUORUM: '1' }, 'WITNESS_QUORUM'],
    ];
    for (const [env, variable] of refused) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(new RegExp(`^${variable}:`));
    }
  });

  it('configures a witness: log keys from the environment or a file; production needs a key file and refuses test faults', () => {
    expect(loadWitnessConfig({ WITNESS_LOG_KEYS: 'a+1+x, b+2+y' })).toMatchObject({ host: '127.0.0.1', port: 3100, name: 'localhost/witness', logKeys: ['a+1+x', 'b+2+y'] });
    expect(loadWitnessConfig({ WITNESS_LOG_KEYS_FILE: '/f' }, () => 'a+1+x\n').logKeys).toEqual(['a+1+x']);
    expect(() => loadWitnessConfig({})).toThrow(/^WITNESS_LOG_KEYS:/);
    expect(() => loadWitnessConfig({ NODE_ENV: 'production', WITNESS_LOG_KEYS: 'a+1+x' })).toThrow(/^WITNESS_KEY_FILE:/);
    expect(() => loadWitnessConfig({ NODE_ENV: 'production', WITNESS_LOG_KEYS: 'a+1+x', WITNESS_KEY_FILE: '/k', WITNESS_TEST_CRASH_POINT: 'after-store' })).toThrow(/^WITNESS_TEST_CRASH_POINT:/);
    expect(() => loadWitnessConfig({ WITNESS_LOG_KEYS: 'a+1+x', WITNESS_NAME: 'has space' })).toThrow(/^WITNESS_NAME:/);
  });
});
