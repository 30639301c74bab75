import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

/** `?waitForCheckpoint=true`: wait (bounded) for a checkpoint that covers every matching event. */
export class ExportOptionsQueryDto {
  @ApiProperty({ required: false, enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  waitForCheckpoint?: 'true' | 'false';
}
