import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, MaxLength } from 'class-validator';
import { BODY_MAX_LENGTH, TITLE_MAX_LENGTH } from './document-limits';

export class CreateDocumentDto {
  @ApiProperty({ minLength: 1, maxLength: TITLE_MAX_LENGTH })
  @IsString()
  @Length(1, TITLE_MAX_LENGTH)
  title: string;

  @ApiProperty({ maxLength: BODY_MAX_LENGTH, required: false, default: '' })
  @IsString()
  @MaxLength(BODY_MAX_LENGTH)
  body: string = '';
}
