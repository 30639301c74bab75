import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import type { ShareAccess } from '@ledgerline/domain';

export class ShareDocumentDto {
  @ApiProperty({ enum: ['read', 'write'] })
  @IsIn(['read', 'write'])
  access: ShareAccess;
}
