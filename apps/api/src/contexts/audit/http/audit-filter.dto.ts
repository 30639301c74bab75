import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { normalizeTime, type AuditFilter } from '../audit-index/audit-filter';
import { ACTOR_MAX_LENGTH, EVENT_TYPE, NO_CONTROL_CHARACTERS, STREAM_MAX_LENGTH } from './audit-limits';
import { IsRfc3339 } from './is-rfc3339.validator';

/** The audit filters (SPEC §7.2), shared by the events query string and the export body. */
export class AuditFilterDto {
  @ApiProperty({ required: false, maxLength: STREAM_MAX_LENGTH, example: 'document-7f3e0a52-3b1c-4c1e-9d7e-1a2b3c4d5e6f' })
  @IsOptional()
  @IsString()
  @Length(1, STREAM_MAX_LENGTH)
  @Matches(NO_CONTROL_CHARACTERS)
  stream?: string;

  @ApiProperty({ required: false, example: 'DocumentShared' })
  @IsOptional()
  @IsString()
  @Matches(EVENT_TYPE)
  type?: string;

  @ApiProperty({ required: false, maxLength: ACTOR_MAX_LENGTH, description: "the actor's id (metadata.actor.id)", example: 'user_2ab' })
  @IsOptional()
  @IsString()
  @Length(1, ACTOR_MAX_LENGTH)
  @Matches(NO_CONTROL_CHARACTERS)
  actor?: string;

  @ApiProperty({ required: false, description: 'RFC 3339, inclusive', example: '2026-11-21T00:00:00Z' })
  @IsOptional()
  @IsString()
  @IsRfc3339()
  from?: string;

  @ApiProperty({ required: false, description: 'RFC 3339, exclusive', example: '2026-11-28T00:00:00Z' })
  @IsOptional()
  @IsString()
  @IsRfc3339()
  to?: string;
}

/** The validated filters with `from`/`to` in the envelope's time form. */
export function auditFilterOf(dto: AuditFilterDto): AuditFilter {
  const filter: AuditFilter = {};
  if (dto.stream !== undefined) filter.stream = dto.stream;
  if (dto.type !== undefined) filter.type = dto.type;
  if (dto.actor !== undefined) filter.actor = dto.actor;
  if (dto.from !== undefined) filter.from = normalizeTime(dto.from);
  if (dto.to !== undefined) filter.to = normalizeTime(dto.to);
  return filter;
}
