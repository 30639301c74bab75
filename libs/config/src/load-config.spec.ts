import { ConfigError } from './config.errors';
import { loadConfig } from './load-config';

describe('loadConfig', () => {
  it('gives the embedded dev defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: './data',
      eventStoreUrl: undefined,
      eventStoreMaxAppendBytes: 1_048_576,
      authMode: 'dev',
      logFormat: 'pretty',
      worker: true,
      checkpointIntervalMs: 2000,
      bootstrapAdmins: ['user_admin'],
      bootstrapCompliance: ['user_compliance'],
      rateLimitUserPerMin: 600,
      rateLimitIpPerMin: 300,
      auditLogOrigin: 'localhost/ledgerline',
    });
  });

  it('reads EVENTSTORE_MAX_APPEND_BYTES within KurrentDB\'s bounds', () => {
    expect(loadConfig({ EVENTSTORE_MAX_APPEND_BYTES: '4194304' }).eventStoreMaxAppendBytes).toBe(4_194_304);
  });

  it('parses lists, numbers and the plan map', () => {
    const config = loadConfig({
      PORT: '8080',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      STRIPE_PLANS: '{"price_pro":"pro"}',
      WORKER: 'off',
      RATE_LIMIT_IP_PER_MIN: '0',
    });
    expect(config.port).toBe(8080);
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.stripePlans).toEqual({ price_pro: 'pro' });
    expect(config.worker).toBe(false);
    expect(config.rateLimitIpPerMin).toBe(0);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ AUTH_MODE: 'magic' }, 'AUTH_MODE'],
    [{ STRIPE_PLANS: '[1]' }, 'STRIPE_PLANS'],
    [{ STRIPE_PLANS: '{oops' }, 'STRIPE_PLANS'],
    [{ EVENTSTORE_URL: 'http://x' }, 'EVENTSTORE_URL'],
    [{ EVENTSTORE_MAX_APPEND_BYTES: '1MiB' }, 'EVENTSTORE_MAX_APPEND_BYTES'],
    [{ EVENTSTORE_MAX_APPEND_BYTES: '100' }, 'EVENTSTORE_MAX_APPEND_BYTES'],
    [{ EVENTSTORE_MAX_APPEND_BYTES: String(16 * 1024 * 1024 + 1) }, 'EVENTSTORE_MAX_APPEND_BYTES'],
    [{ READ_DB_URL: 'not a url' }, 'READ_DB_URL'],
    [{ TLS_CERT_FILE: '/c.pem' }, 'TLS_KEY_FILE'],
    [{ AUTH_MODE: 'clerk' }, 'CLERK_JWT_KEY'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  ])('rejects %j naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as ConfigError).variable).toBe(variable);
    }
  });

  const production = {
    NODE_ENV: 'production',
    CLERK_JWT_KEY: '-----BEGIN PUBLIC KEY-----x',
    CLERK_AUTHORIZED_PARTIES: 'https://app.example',
    SIGNING_KEY_FILE: '/run/secrets/signing.pem',
    CHECKPOINT_KEY_FILE: '/run/secrets/checkpoint.pem',
    MASTER_KEY_FILE: '/run/secrets/master.key',
    STRIPE_SECRET_KEY: 'sk_live_x',
    STRIPE_WEBHOOK_SECRET: 'whsec_x',
  };

  it('accepts a complete production configuration', () => {
    const config = loadConfig(production);
    expect(config.authMode).toBe('clerk');
    expect(config.logFormat).toBe('json');
    expect(config.bootstrapAdmins).toEqual([]);
  });

  it.each([
    ['AUTH_MODE', { AUTH_MODE: 'dev' }],
    ['SIGNING_KEY_FILE', { SIGNING_KEY_FILE: undefined }],
    ['CHECKPOINT_KEY_FILE', { CHECKPOINT_KEY_FILE: undefined }],
    ['MASTER_KEY_FILE', { MASTER_KEY_FILE: undefined }],
    ['STRIPE_WEBHOOK_SECRET', { STRIPE_WEBHOOK_SECRET: undefined }],
    ['CLERK_AUTHORIZED_PARTIES', { CLERK_AUTHORIZED_PARTIES: undefined }],
  ])('production refuses to start without %s', (variable, change) => {
    expect(() => loadConfig({ ...production, ...change })).toThrow(variable);
  });

  it("reads the console's Clerk publishable key and the Frontend API host it names, and refuses anything else", () => {
    const key = `pk_test_${Buffer.from('clerk.example.com$').toString('base64')}`;
    expect(loadConfig({ CLERK_PUBLISHABLE_KEY: key })).toMatchObject({ clerkPublishableKey: key, clerkFrontendApi: 'clerk.example.com' });
    expect(loadConfig({})).toMatchObject({ clerkPublishableKey: undefined, clerkFrontendApi: undefined });
    for (const bad of ['sk_test_abc', `pk_test_${Buffer.from('evil.example/x$').toString('base64')}`, 'pk_live_!!']) {
      expect(() => loadConfig({ CLERK_PUBLISHABLE_KEY: bad })).toThrow(ConfigError);
    }
  });

  it('never echoes a secret value in its error', () => {
    expect.assertions(1);
    try {
      loadConfig({ ...production, STRIPE_PLANS: 'sk_live_secret' });
    } catch (error) {
      expect(String(error)).not.toContain('sk_live_secret');
    }
  });

  it.each([
    ['PORT', 'sk_live_inPort'],
    ['LOG_LEVEL', 'sk_live_inLevel'],
    ['WORKER', 'sk_live_inWorker'],
    ['READ_DB_URL', 'mysql://user:sk_live_pw@db/x'],
    ['STRIPE_PLANS', '{"sk_live_asPrice":"free"}'],
  ])('names %s but never echoes its bad value, secret or not (README: "never its value")', (variable, value) => {
    expect.assertions(2);
    try {
      loadConfig({ [variable]: value });
    } catch (error) {
      expect(String(error)).toContain(variable);
      expect(String(error)).not.toContain('sk_live_');
    }
  });

  it('reads secrets from <NAME>_FILE, and refuses both forms at once', () => {
    const files: Record<string, string> = { '/run/secrets/stripe': 'sk_test_fromfile\n' };
    const read = (file: string) => {
      if (!(file in files)) throw new Error('ENOENT');
      return files[file];
    };
    expect(loadConfig({ STRIPE_SECRET_KEY_FILE: '/run/secrets/stripe' }, read).stripeSecretKey).toBe('sk_test_fromfile');
    expect(() => loadConfig({ STRIPE_SECRET_KEY_FILE: '/nope' }, read)).toThrow('STRIPE_SECRET_KEY_FILE');
    expect(() => loadConfig({ STRIPE_SECRET_KEY: 'x', STRIPE_SECRET_KEY_FILE: '/run/secrets/stripe' }, read)).toThrow('not both');
  });
});
