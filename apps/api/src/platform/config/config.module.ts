import { DynamicModule, Global, Module } from '@nestjs/common';
import type { AppConfig } from '@ledgerline/config';
import type winston from 'winston';
import { APP_CONFIG, APP_RUNTIME, LOGGER, type AppRuntime } from './config.tokens';

/** Makes the validated config, the logger and how the process runs the app injectable everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig, logger: winston.Logger, runtime: AppRuntime = {}): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: APP_RUNTIME, useValue: runtime },
      ],
      exports: [APP_CONFIG, LOGGER, APP_RUNTIME],
    };
  }
}
