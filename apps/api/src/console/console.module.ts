import { Module } from '@nestjs/common';
import { ConsoleController } from './console.controller';
import { loadConsoleAssets } from './console-assets';
import { CONSOLE_ASSETS } from './console.tokens';

/** The compliance console at /console (web/console, bundled by `npm run build`). */
@Module({
  controllers: [ConsoleController],
  providers: [{ provide: CONSOLE_ASSETS, useFactory: () => loadConsoleAssets() }],
})
export class ConsoleModule {}
