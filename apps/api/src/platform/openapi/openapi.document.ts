import { Injectable, type INestApplication } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

interface ContainerLike {
  applicationConfig: unknown;
  getHttpAdapterRef(): unknown;
}

/**
 * The OpenAPI document of every controller, built on first request (all modules are loaded by then).
 * SwaggerModule scans an application object; a provider has no handle on the application, so it
 * gets the parts the scanner reads (container, config, HTTP adapter) from the module container.
 */
@Injectable()
export class OpenApiDocument {
  private document: OpenAPIObject | undefined;

  constructor(private readonly moduleRef: ModuleRef) {}

  get(): OpenAPIObject {
    this.document ??= this.build();
    return this.document;
  }

  private build(): OpenAPIObject {
    const container = (this.moduleRef as unknown as { container: ContainerLike }).container;
    const app = { container, config: container.applicationConfig, getHttpAdapter: () => container.getHttpAdapterRef() };
    const config = new DocumentBuilder()
      .setTitle('Ledgerline API')
      .setDescription('Event-sourced, audit-centric backend: SPEC §7. Errors are RFC 9457 application/problem+json.')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Clerk session token (dev: npm run token)' })
      .build();
    return SwaggerModule.createDocument(app as unknown as INestApplication, config);
  }
}
