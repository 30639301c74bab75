import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import { BODY_MAX_LENGTH, TITLE_MAX_LENGTH } from './document-limits';

/** At least one member (the decider refuses an empty edit); `null` is not a value here. */
export class EditDocumentDto {
  @ApiProperty({ minLength: 1, maxLength: TITLE_MAX_LENGTH, required: false })
  @ValidateIf((_dto, value) => value !== undefined)
  @IsString()
  @Length(1, TITLE_MAX_LENGTH)
  title?: string;

  @ApiProperty({ maxLength: BODY_MAX_LENGTH, required: false })
  @ValidateIf((_dto, value) => value !== undefined)
  @IsString()
  @MaxLength(BODY_MAX_LENGTH)
  body?: string;
}
