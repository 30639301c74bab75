import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { of } from 'rxjs';
import { GuardsInOrder } from './guards-in-order';

const context = {} as ExecutionContext;

/** A guard that notes when it ran and answers `answer` (a value, a promise or an observable). */
function guard(name: string, ran: string[], answer: () => ReturnType<CanActivate['canActivate']>): CanActivate {
  return {
    canActivate: () => {
      ran.push(name);
      return answer();
    },
  };
}

describe('GuardsInOrder', () => {
  it('given guards that all allow, then each runs once in the order given, the next only after the one before settled', async () => {
    const ran: string[] = [];
    let releaseFirst: (allowed: boolean) => void = () => undefined;
    const first = guard('first', ran, () => new Promise<boolean>((resolve) => (releaseFirst = resolve)));
    const chain = new GuardsInOrder(first, guard('second', ran, () => true), guard('third', ran, () => of(true)));
    const verdict = chain.canActivate(context);
    await Promise.resolve();
    expect(ran).toEqual(['first']);
    releaseFirst(true);
    await expect(verdict).resolves.toBe(true);
    expect(ran).toEqual(['first', 'second', 'third']);
  });

  it('given a guard that refuses, then the guards after it never run', async () => {
    const ran: string[] = [];
    expect(new GuardsInOrder(guard('a', ran, () => false), guard('b', ran, () => true)).canActivate(context)).toBe(false);
    await expect(new GuardsInOrder(guard('c', ran, () => Promise.resolve(false)), guard('d', ran, () => true)).canActivate(context)).resolves.toBe(false);
    expect(ran).toEqual(['a', 'c']);
  });

  it('given a guard that throws (a 401 problem, say), then the error is the answer and the guards after it never run', async () => {
    const ran: string[] = [];
    const refused = new Error('unauthorized');
    const chain = new GuardsInOrder(
      guard('a', ran, () => Promise.reject(refused)),
      guard('b', ran, () => true),
    );
    await expect(chain.canActivate(context)).rejects.toBe(refused);
    expect(ran).toEqual(['a']);
  });

  it('given guards that answer synchronously, then the answer is synchronous', () => {
    const ran: string[] = [];
    expect(new GuardsInOrder(guard('a', ran, () => true), guard('b', ran, () => true)).canActivate(context)).toBe(true);
  });
});
