import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '@ledgerline/config';
import { FieldCipher } from '@ledgerline/crypto';
import type winston from 'winston';
import { APP_CONFIG, LOGGER } from '../config/config.tokens';
import { ProblemDetailsFilter } from '../errors/problem-details.filter';
import { mapCryptoError } from './crypto-error.mapper';
import { FIELD_CIPHER } from './crypto.tokens';
import { openDataKeyStore, type OpenedDataKeyStore } from './data-key-store.factory';
import { loadMasterKey } from './master-key';

const DATA_KEY_STORE_HANDLE = Symbol('DATA_KEY_STORE_HANDLE');

/** Field encryption at rest (SPEC §6) for every context: one FieldCipher over the key table in the read database. */
@Global()
@Module({
  providers: [
    { provide: DATA_KEY_STORE_HANDLE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => openDataKeyStore(config) },
    {
      provide: FIELD_CIPHER,
      inject: [APP_CONFIG, LOGGER, DATA_KEY_STORE_HANDLE],
      useFactory: (config: AppConfig, logger: winston.Logger, opened: OpenedDataKeyStore) => {
        const masterKey = loadMasterKey(config, logger);
        try {
          return new FieldCipher({ masterKey, store: opened.store });
        } finally {
          masterKey.fill(0); // FieldCipher keeps its own KeyObject copy
        }
      },
    },
  ],
  exports: [FIELD_CIPHER],
})
export class CryptoModule implements OnApplicationShutdown {
  constructor(
    @Inject(DATA_KEY_STORE_HANDLE) private readonly opened: OpenedDataKeyStore,
    filter: ProblemDetailsFilter,
  ) {
    filter.addMapper(mapCryptoError);
  }

  /** After the HTTP server drained: no request is decrypting any more. */
  async onApplicationShutdown(): Promise<void> {
    await this.opened.close();
  }
}
