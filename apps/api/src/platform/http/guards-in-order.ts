import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { isObservable, lastValueFrom } from 'rxjs';

type GuardResult = ReturnType<CanActivate['canActivate']>;

/**
 * Several guards as Nest's one global guard, run in the order given, each only once the one before
 * allowed the request. Nest would order several APP_GUARD providers by the order it happens to scan
 * their modules; where one guard must follow another (no waiting for read models before the caller
 * is authenticated), the order is said here instead. A guard that answers synchronously is not made
 * to wait for a turn of the event loop.
 */
export class GuardsInOrder implements CanActivate {
  private readonly guards: readonly CanActivate[];

  constructor(...guards: CanActivate[]) {
    this.guards = guards;
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    return this.from(0, context);
  }

  private from(index: number, context: ExecutionContext): boolean | Promise<boolean> {
    for (let i = index; i < this.guards.length; i++) {
      const result: GuardResult = this.guards[i].canActivate(context);
      if (result === false) return false;
      if (result !== true) return settle(result).then((allowed) => allowed && this.from(i + 1, context));
    }
    return true;
  }
}

function settle(result: Exclude<GuardResult, boolean>): Promise<boolean> {
  return isObservable(result) ? lastValueFrom(result) : result;
}
