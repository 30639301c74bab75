import { Injectable } from '@nestjs/common';

/** Which plan a user is on ('free' or a paid plan's name). Billing replaces the default. */
export interface PlanDirectory {
  planOf(userId: string): Promise<string>;
}

/** Injection token for the PlanDirectory. */
export const PLAN_DIRECTORY = Symbol('PLAN_DIRECTORY');

export const FREE_PLAN = 'free';

/** Until billing exists, everyone is on the free plan. */
@Injectable()
export class FreePlanDirectory implements PlanDirectory {
  async planOf(_userId: string): Promise<string> {
    return FREE_PLAN;
  }
}
