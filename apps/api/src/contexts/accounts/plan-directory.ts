/** Which plan a user is on ('free' or a paid plan's name). Billing provides it from its read model. */
export interface PlanDirectory {
  planOf(userId: string): Promise<string>;
}

/** Injection token for the PlanDirectory. */
export const PLAN_DIRECTORY = Symbol('PLAN_DIRECTORY');
