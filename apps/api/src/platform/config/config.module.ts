import { DynamicModule, Global, Module } from '@nestjs/common';
import type { AppConfig } from '@ledgerline/config';
import type winston from 'winston';
import { APP_CONFIG, LOGGER } from './config.tokens';

/** Makes the validated config and the logger injectable everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig, logger: winston.Logger): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
      ],
      exports: [APP_CONFIG, LOGGER],
    };
  }
}
