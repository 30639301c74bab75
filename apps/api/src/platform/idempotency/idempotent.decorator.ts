import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiIdempotencyKey } from '../openapi/api-docs.decorators';
import { IdempotencyInterceptor } from './idempotency.interceptor';

/**
 * Marks a POST route of signed-in callers as honouring `Idempotency-Key` (SPEC §7.3), and documents
 * the header. Every such route carries it (idempotent-routes.spec checks them all). Not a global
 * interceptor: Nest runs a route that has no interceptor without rxjs, so reads do not pay for it.
 */
export function Idempotent(): MethodDecorator {
  return applyDecorators(UseInterceptors(IdempotencyInterceptor), ApiIdempotencyKey());
}
