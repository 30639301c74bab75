import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Access } from '../../contexts/access/authorization/access.decorator';

/** The only files served, so a path parameter can never reach outside swagger-ui-dist. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Ledgerline API</title><link rel="icon" href="/docs/favicon-32x32.png"><link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div><script src="/docs/swagger-ui-bundle.js"></script><script src="/docs/swagger-ui-init.js"></script></body>
</html>
`;

// A separate script rather than an inline one, so a strict Content-Security-Policy still allows it.
const INIT = `window.ui = SwaggerUIBundle({ url: '/docs-json', dom_id: '#swagger-ui', persistAuthorization: false });\n`;

/**
 * Swagger UI at /docs (registered outside production only). The assets come from swagger-ui-dist;
 * @fastify/static, which SwaggerModule.setup needs on Fastify, is not a dependency.
 */
@ApiExcludeController()
@Controller('docs')
export class SwaggerUiController {
  private readonly cache = new Map<string, Buffer>();

  @Get()
  @Access({ public: true })
  @Header('content-type', 'text/html; charset=utf-8')
  page(): string {
    return PAGE;
  }

  @Get('swagger-ui-init.js')
  @Access({ public: true })
  @Header('content-type', 'application/javascript; charset=utf-8')
  init(): string {
    return INIT;
  }

  @Get(':asset')
  @Access({ public: true })
  async asset(@Param('asset') asset: string, @Res() reply: FastifyReply): Promise<void> {
    const type = Object.hasOwn(ASSETS, asset) ? ASSETS[asset] : undefined;
    if (type === undefined) throw new NotFoundException();
    let bytes = this.cache.get(asset);
    if (!bytes) {
      bytes = await readFile(path.join(path.dirname(require.resolve('swagger-ui-dist/package.json')), asset));
      this.cache.set(asset, bytes);
    }
    await reply.header('content-type', type).header('cache-control', 'public, max-age=86400').send(bytes);
  }
}
