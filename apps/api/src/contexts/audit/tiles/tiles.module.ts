import { Module } from '@nestjs/common';
import { TilesController } from './tiles.controller';

/** The c2sp.org/tlog-tiles read surface: `GET /checkpoint`, `GET /tile/…` (SPEC §4). */
@Module({ controllers: [TilesController] })
export class TilesModule {}
