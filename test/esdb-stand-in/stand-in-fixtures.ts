/// <reference types="jest" />
import { startEsdbStandIn, type EsdbStandIn, type EsdbStandInOptions } from './esdb-stand-in';

/** What a spec opens on a stand-in and must close: stores, clients. */
export interface Closable {
  close(): Promise<void>;
}

/**
 * For specs: starts stand-ins and tracks what is opened on them; after each test the tracked things are
 * closed first, then the stand-ins stopped, latest first (a follower before its leader).
 */
export function standInFixtures(): { start(options?: EsdbStandInOptions): Promise<EsdbStandIn>; track<T extends Closable>(closable: T): T } {
  const standIns: EsdbStandIn[] = [];
  const tracked: Closable[] = [];
  afterEach(async () => {
    await Promise.all(tracked.splice(0).map((closable) => closable.close()));
    await Promise.all(standIns.splice(0).reverse().map((standIn) => standIn.stop()));
  });
  return {
    start: async (options) => {
      const standIn = await startEsdbStandIn(options);
      standIns.push(standIn);
      return standIn;
    },
    track: (closable) => {
      tracked.push(closable);
      return closable;
    },
  };
}
