import { Module } from '@nestjs/common';
import { JwksController } from './jwks.controller';

/** The public JWKS route; apart from LedgerModule so the worker thread gets the keys without routes. */
@Module({ controllers: [JwksController] })
export class JwksModule {}
