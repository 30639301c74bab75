import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController, type OpenAPIObject } from '@nestjs/swagger';
import { Access } from '../../contexts/access/authorization/access.decorator';
import { OpenApiDocument } from './openapi.document';

/** The machine-readable API description (public: it names routes and shapes, never data). */
@ApiExcludeController()
@Controller()
export class OpenApiController {
  constructor(private readonly document: OpenApiDocument) {}

  @Get('docs-json')
  @Access({ public: true })
  @Header('cache-control', 'no-cache')
  json(): OpenAPIObject {
    return this.document.get();
  }
}
