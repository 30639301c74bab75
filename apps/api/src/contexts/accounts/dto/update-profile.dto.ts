import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { IsE164Phone } from './is-e164-phone.validator';

/** Members given are set, `null` clears one, omitted ones keep their value; at least one member. */
export class UpdateProfileDto {
  @ApiProperty({ required: false, nullable: true, minLength: 1, maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  displayName?: string | null;

  @ApiProperty({ required: false, nullable: true, maxLength: 254, format: 'email' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email?: string | null;

  @ApiProperty({ required: false, nullable: true, description: 'E.164, e.g. +14155552671', example: '+14155552671' })
  @IsOptional()
  @IsE164Phone()
  phone?: string | null;
}
