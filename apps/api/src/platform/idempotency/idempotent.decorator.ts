import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiIdempotencyKey } from '../openapi/api-docs.decorators';

export const IDEMPOTENT_METADATA = 'ledgerline:idempotent';

/**
 * Marks a POST route of signed-in callers as honouring `Idempotency-Key` (SPEC §7.3) and documents the
 * header. The handler runs its work through `Idempotency.run`; idempotent-routes.spec checks that every
 * such route is marked and that every marked one is answered through it.
 */
export function Idempotent(): MethodDecorator {
  return applyDecorators(SetMetadata(IDEMPOTENT_METADATA, true), ApiIdempotencyKey());
}
