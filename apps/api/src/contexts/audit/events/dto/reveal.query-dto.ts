import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

/** `?reveal=true` on a single-event answer (needs `X-Access-Reason`). */
export class RevealQueryDto {
  @ApiProperty({ required: false, enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  reveal?: 'true' | 'false';
}
