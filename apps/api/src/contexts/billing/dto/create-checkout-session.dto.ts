import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

/** `priceId` must also be one of STRIPE_PLANS (checked by the controller against the configuration). */
export class CreateCheckoutSessionDto {
  @ApiProperty({ description: 'a Stripe price id listed in STRIPE_PLANS', example: 'price_1Pro', maxLength: 255 })
  @IsString()
  @Matches(/^[A-Za-z0-9_]{1,255}$/)
  priceId: string;
}
