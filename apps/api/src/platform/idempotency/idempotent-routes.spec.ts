import { readdirSync } from 'node:fs';
import path from 'node:path';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ACCESS_METADATA, type AccessRequirements } from '../../contexts/access/authorization/access.decorator';
import { IDEMPOTENT_METADATA } from './idempotent.decorator';

const API_SOURCES = path.join(__dirname, '..', '..');

function controllerFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return controllerFiles(file);
    return entry.name.endsWith('.controller.ts') ? [file] : [];
  });
}

interface PostRoute {
  name: string;
  public: boolean;
  /** Marked @Idempotent() (the OpenAPI document then names the header). */
  marked: boolean;
  /** Answered through Idempotency.run, read from the handler's own code. */
  runsThroughIdempotency: boolean;
}

/** Every POST handler of every controller under apps/api/src, read from Nest's route metadata. */
function postRoutes(): PostRoute[] {
  const routes: PostRoute[] = [];
  for (const file of controllerFiles(API_SOURCES)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the controllers are found on disk, so new ones are checked too
    for (const exported of Object.values(require(file) as Record<string, unknown>)) {
      if (typeof exported !== 'function' || Reflect.getMetadata(PATH_METADATA, exported) === undefined) continue;
      const controller = exported as new (...args: never[]) => unknown;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) !== RequestMethod.POST) continue;
        const access = (Reflect.getMetadata(ACCESS_METADATA, handler) ?? Reflect.getMetadata(ACCESS_METADATA, controller)) as AccessRequirements | undefined;
        routes.push({
          name: `${controller.name}.${name}`,
          public: access?.public === true,
          marked: Reflect.getMetadata(IDEMPOTENT_METADATA, handler) === true,
          runsThroughIdempotency: /\bthis\.idempotency\.run\(/.test(String(handler)),
        });
      }
    }
  }
  return routes;
}

describe('Idempotency-Key on POST routes (SPEC §7.3)', () => {
  const routes = postRoutes();

  it('given every controller, then each POST route of signed-in callers is @Idempotent() and answers through Idempotency.run', () => {
    const signedIn = routes.filter((route) => !route.public);
    expect(signedIn.map((route) => route.name)).toEqual(expect.arrayContaining(['DocumentsController.create', 'BillingController.createCheckoutSession']));
    expect(signedIn.filter((route) => !route.marked || !route.runsThroughIdempotency).map((route) => route.name)).toEqual([]);
  });

  it('given a public POST route (the Stripe webhook), then it is left to its own exactly-once handling', () => {
    expect(routes.filter((route) => route.public).map((route) => route.name)).toEqual(['StripeWebhookController.receive']);
  });
});
