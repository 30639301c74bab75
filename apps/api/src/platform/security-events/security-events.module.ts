import { Module } from '@nestjs/common';
import { SecurityEvents } from './security-events.service';

/**
 * Not global on purpose: Nest shuts non-global modules down before the global store and ledger
 * modules, so the final flush still has a store to write to. Import it where you record events.
 */
@Module({ providers: [SecurityEvents], exports: [SecurityEvents] })
export class SecurityEventsModule {}
