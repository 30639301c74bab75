import { Global, Module } from '@nestjs/common';
import type { AppConfig } from '@ledgerline/config';
import type { EventStore } from '@ledgerline/event-store';
import type { Keyring } from '@ledgerline/integrity';
import { SealedLedgerWriter } from '@ledgerline/ledger';
import type winston from 'winston';
import { APP_CONFIG, LOGGER } from '../config/config.tokens';
import { EVENT_STORE } from '../event-store/event-store.tokens';
import { KEYRING, LEDGER_WRITER } from './ledger.tokens';
import { loadEventKeyring } from './signing-keys';

/** The sealed write path and the event-signing keys, for every context (the JWKS route is JwksModule's). */
@Global()
@Module({
  providers: [
    { provide: KEYRING, inject: [APP_CONFIG, LOGGER], useFactory: (config: AppConfig, logger: winston.Logger) => loadEventKeyring(config, logger) },
    {
      provide: LEDGER_WRITER,
      inject: [EVENT_STORE, KEYRING],
      useFactory: (store: EventStore, keyring: Keyring) => new SealedLedgerWriter(store, keyring),
    },
  ],
  exports: [KEYRING, LEDGER_WRITER],
})
export class LedgerModule {}
