import { Controller, Get, Header, Inject } from '@nestjs/common';
import type { Jwks, Keyring } from '@ledgerline/integrity';
import { Access } from '../../contexts/access/authorization/access.decorator';
import { KEYRING } from './ledger.tokens';

/** Every key that ever signed an event, active and retired (SPEC §3). */
@Controller('.well-known')
@Access({ public: true })
export class JwksController {
  constructor(@Inject(KEYRING) private readonly keyring: Keyring) {}

  @Get('jwks.json')
  @Header('cache-control', 'public, max-age=300')
  jwks(): Jwks {
    return this.keyring.jwks();
  }
}
