import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { AuditFilterDto } from '../../http/audit-filter.dto';
import { AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX } from '../../http/audit-limits';

/** `GET /v1/audit/events`: the filters, paging, and `reveal` (needs `X-Access-Reason`). */
export class ListAuditEventsQueryDto extends AuditFilterDto {
  @ApiProperty({ required: false, minimum: 1, maximum: AUDIT_PAGE_MAX, default: AUDIT_PAGE_DEFAULT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(AUDIT_PAGE_MAX)
  limit: number = AUDIT_PAGE_DEFAULT;

  @ApiProperty({ required: false, description: 'opaque cursor from the previous page' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,40}$/)
  cursor?: string;

  @ApiProperty({ required: false, enum: ['true', 'false'], description: 'decrypt for this answer only; needs X-Access-Reason' })
  @IsOptional()
  @IsIn(['true', 'false'])
  reveal?: 'true' | 'false';
}
