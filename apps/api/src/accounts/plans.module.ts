import { Global, Module } from '@nestjs/common';
import { FreePlanDirectory, PLAN_DIRECTORY } from './plan-directory';

/**
 * Provides PLAN_DIRECTORY to every context (documents read it for the free-plan quota). Billing
 * takes over by pointing this provider at its own directory (`useExisting`).
 */
@Global()
@Module({
  providers: [{ provide: PLAN_DIRECTORY, useClass: FreePlanDirectory }],
  exports: [PLAN_DIRECTORY],
})
export class PlansModule {}
