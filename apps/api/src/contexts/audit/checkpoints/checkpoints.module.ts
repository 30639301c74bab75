import { Module } from '@nestjs/common';
import { CheckpointsController } from './checkpoints.controller';

@Module({ controllers: [CheckpointsController] })
export class CheckpointsModule {}
