import { DynamicModule, Module } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import type { AppConfig } from '@ledgerline/config';
import { OpenApiController } from './openapi.controller';
import { OpenApiDocument } from './openapi.document';
import { strictValidationPipe } from './strict-validation.pipe';
import { SwaggerUiController } from './swagger-ui.controller';

/**
 * The HTTP contract: strict DTO validation for every route, the OpenAPI document at /docs-json,
 * and (outside production) Swagger UI at /docs.
 */
@Module({})
export class ApiContractModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiContractModule,
      controllers: config.production ? [OpenApiController] : [OpenApiController, SwaggerUiController],
      providers: [OpenApiDocument, { provide: APP_PIPE, useFactory: strictValidationPipe }],
    };
  }
}
