import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { AppConfig } from '@ledgerline/config';
import type { FastifyReply } from 'fastify';
import { Access } from '../contexts/access/authorization/access.decorator';
import { APP_CONFIG } from '../platform/config/config.tokens';
import { problem, ProblemException } from '../platform/errors/problem';
import { CONSOLE_ASSETS } from './console.tokens';
import type { ConsoleAsset } from './console-assets';

/**
 * GET /console: the compliance console's page and its bundled files, public like any static page. The page
 * itself reads nothing: it calls the same guarded /v1/audit routes as any client (same token checks, rate
 * limits and audit records), so this controller adds no way around them.
 */
@ApiExcludeController()
@Controller('console')
@Access({ public: true })
export class ConsoleController {
  constructor(
    @Inject(CONSOLE_ASSETS) private readonly assets: Map<string, ConsoleAsset>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  page(@Res() reply: FastifyReply): void {
    this.send(reply, 'index.html');
  }

  /** What the page must know to offer the right sign-in: the auth mode and Clerk's publishable key (public by design). */
  @Get('config.json')
  settings(): { authMode: string; clerkPublishableKey: string | null } {
    return { authMode: this.config.authMode, clerkPublishableKey: this.config.authMode === 'clerk' ? (this.config.clerkPublishableKey ?? null) : null };
  }

  @Get('assets/:name')
  asset(@Param('name') name: string, @Res() reply: FastifyReply): void {
    this.send(reply, name === 'index.html' ? '' : name);
  }

  @Get('assets/clerk/:name')
  clerkAsset(@Param('name') name: string, @Res() reply: FastifyReply): void {
    this.send(reply, `clerk/${name}`);
  }

  private send(reply: FastifyReply, name: string): void {
    if (this.assets.size === 0) {
      throw new ProblemException(problem(503, { type: 'console-not-built', detail: 'the console is not built on this server: run npm run build' }));
    }
    const asset = this.assets.get(name);
    if (!asset) throw new ProblemException(problem(404, { detail: 'no such console file' }));
    void reply.header('content-type', asset.contentType).header('cache-control', 'no-cache').send(asset.body);
  }
}
