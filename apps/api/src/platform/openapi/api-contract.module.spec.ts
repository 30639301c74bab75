import type { AppConfig } from '@ledgerline/config';
import { ApiContractModule } from './api-contract.module';
import { OpenApiController } from './openapi.controller';
import { SwaggerUiController } from './swagger-ui.controller';

describe('ApiContractModule', () => {
  it('serves Swagger UI outside production only; the OpenAPI document always', () => {
    expect(ApiContractModule.forRoot({ production: false } as AppConfig).controllers).toEqual([OpenApiController, SwaggerUiController]);
    expect(ApiContractModule.forRoot({ production: true } as AppConfig).controllers).toEqual([OpenApiController]);
  });
});
