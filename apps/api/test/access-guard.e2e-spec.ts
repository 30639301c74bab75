import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@ledgerline/config';
import type { CommandContext } from '@ledgerline/ledger';
import { call, devTokenMinter } from '../../../test/security/support/auth-client';
import { Access, AuditAccess, DomainWriteAccess } from '../src/contexts/access/authorization/access.decorator';
import { CurrentCommandContext } from '../src/contexts/access/authorization/command-context';
import { CurrentPrincipal, type Principal } from '../src/contexts/access/authorization/principal';
import { AppModule } from '../src/app.module';
import { fastifyOptions } from '../src/platform/http/fastify-options';
import { createLogger } from '../src/platform/observability/logger';
import { WinstonNestLogger } from '../src/platform/observability/nest-logger';

@Controller('probe')
class ProbeController {
  @Get('default')
  whoAmI(@CurrentPrincipal() principal: Principal, @CurrentCommandContext() context: CommandContext): { principal: Principal; context: CommandContext } {
    return { principal, context };
  }

  @Get('public')
  @Access({ public: true })
  open(): { ok: true } {
    return { ok: true };
  }

  @Post('documents')
  @HttpCode(201)
  @DomainWriteAccess()
  write(): { ok: true } {
    return { ok: true };
  }

  @Get('audit')
  @AuditAccess()
  audit(): { ok: true } {
    return { ok: true };
  }
}

@Controller('probe-admin')
@Access({ roles: ['admin'] })
class ProbeAdminController {
  @Get()
  inherited(): { ok: true } {
    return { ok: true };
  }

  @Get('open')
  @Access({ public: true })
  overridden(): { ok: true } {
    return { ok: true };
  }
}

/** The real app plus probe routes, so every kind of requirement meets the real global guard. */
async function bootWithProbes(dataDir: string): Promise<{ app: NestFastifyApplication; baseUrl: string }> {
  const config = loadConfig({ DATA_DIR: dataDir, BOOTSTRAP_ADMINS: 'user_admin,user_both', BOOTSTRAP_COMPLIANCE: 'user_compliance,user_both', LOG_FORMAT: 'json' });
  const logger = createLogger({ level: 'warn', format: 'json', stream: new PassThrough().resume() });
  @Module({ imports: [AppModule.forRoot(config, logger)], controllers: [ProbeController, ProbeAdminController] })
  class ProbeAppModule {}
  const adapter = new FastifyAdapter(fastifyOptions(config));
  const app = await NestFactory.create<NestFastifyApplication>(ProbeAppModule, adapter, { logger: new WinstonNestLogger(logger) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, baseUrl: `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}` };
}

describe('global access guard (e2e, probe routes on the real app)', () => {
  let dataDir: string;
  let app: NestFastifyApplication;
  let baseUrl: string;
  let token: ReturnType<typeof devTokenMinter>;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-guard-'));
    ({ app, baseUrl } = await bootWithProbes(dataDir));
    token = devTokenMinter(dataDir);
  });
  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('needs a signed-in user on a route without @Access (secure by default)', async () => {
    const anonymous = await call(baseUrl, 'GET', '/probe/default');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    const signedIn = await call(baseUrl, 'GET', '/probe/default', { token: token('user_bob', { mfaAgeMinutes: 3 }) });
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get('cache-control')).toBe('no-store');
    expect(signedIn.body?.principal).toEqual({ userId: 'user_bob', sessionId: expect.stringMatching(/^sess_/), secondFactorAgeMinutes: 3, roles: ['user'] });
  });

  it('hands controllers a command context: user actor, request id as correlation, fresh causation', async () => {
    const requestId = '0b5d8f1e-7c1a-4b8e-9f00-1234567890ab';
    const answer = await call(baseUrl, 'GET', '/probe/default', { token: token('user_admin', { mfaAgeMinutes: null }), headers: { 'x-request-id': requestId } });
    const context = answer.body?.context as CommandContext;
    expect(context.actor).toEqual({ kind: 'user', id: 'user_admin', session: expect.stringMatching(/^sess_/), mfa: false });
    expect(context.correlationId).toBe(requestId);
    expect(context.causationId).toMatch(/^[0-9a-f-]{36}$/);
    const notUuid = await call(baseUrl, 'GET', '/probe/default', { token: token('user_admin'), headers: { 'x-request-id': 'client-abc.1' } });
    expect((notUuid.body?.context as CommandContext).correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect((answer.body?.principal as Principal).roles).toEqual(['user', 'admin']);
  });

  it('lets anyone through a public route, and a method @Access replaces its controller one', async () => {
    expect((await call(baseUrl, 'GET', '/probe/public')).status).toBe(200);
    expect((await call(baseUrl, 'GET', '/probe/public', { authorization: 'Bearer garbage' })).status).toBe(200);
    expect((await call(baseUrl, 'GET', '/probe-admin/open')).status).toBe(200);
    expect((await call(baseUrl, 'GET', '/probe-admin', { token: token('user_bob') })).status).toBe(403);
    expect((await call(baseUrl, 'GET', '/probe-admin', { token: token('user_admin', { mfaAgeMinutes: null }) })).status).toBe(200);
  });

  it('keeps compliance officers from changing domain data', async () => {
    expect((await call(baseUrl, 'POST', '/probe/documents', { token: token('user_bob') })).status).toBe(201);
    expect((await call(baseUrl, 'POST', '/probe/documents', { token: token('user_admin') })).status).toBe(201);
    for (const who of ['user_compliance', 'user_both']) {
      const refused = await call(baseUrl, 'POST', '/probe/documents', { token: token(who) });
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ detail: 'compliance officers do not change domain data' });
    }
  });

  it('lets only compliance officers with fresh MFA read audit routes, never an admin', async () => {
    expect((await call(baseUrl, 'GET', '/probe/audit', { token: token('user_compliance') })).status).toBe(200);
    const stale = await call(baseUrl, 'GET', '/probe/audit', { token: token('user_compliance', { mfaAgeMinutes: 30 }) });
    expect(stale.status).toBe(403);
    expect(stale.body).toHaveProperty('clerk_error.reason', 'reverification-error');
    expect((await call(baseUrl, 'GET', '/probe/audit', { token: token('user_admin') })).status).toBe(403);
    expect((await call(baseUrl, 'GET', '/probe/audit', { token: token('user_bob') })).status).toBe(403);
    const both = await call(baseUrl, 'GET', '/probe/audit', { token: token('user_both') });
    expect(both.status).toBe(403);
    expect(both.body).toMatchObject({ detail: 'administrators do not read the audit log' });
  });
});
