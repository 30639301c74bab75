import type { Channel } from '@grpc/grpc-js';
import { EventStoreDBClient } from '@eventstore/db-client';
import { parseConnectionString, type ConnectionOptions } from '@eventstore/db-client/dist/Client/parseConnectionString';

/** URL schemes this adapter opens; KurrentDB's names map onto the ones client v6 parses. */
export const ESDB_SCHEMES = ['esdb', 'esdb+discover', 'kurrentdb', 'kurrentdb+discover'] as const;

/** What a connection string asks for, without its credentials (safe to log). */
export interface EsdbConnectionSummary {
  hosts: string[];
  discover: boolean;
  tls: boolean;
  tlsCAFile?: string;
  authenticated: boolean;
}

function clientForm(url: string): string {
  return url.trim().replace(/^kurrentdb(\+discover)?:\/\//i, (_m, discover: string | undefined) => `esdb${discover ?? ''}://`);
}

/** The client's parse errors quote the whole string, password included: keep only where and what. */
function parse(url: string): ConnectionOptions {
  try {
    return parseConnectionString(clientForm(url));
  } catch (error) {
    const { expected, location } = error as { expected?: string; location?: [number, number] };
    const where = location ? ` at character ${location[0]}` : '';
    throw new Error(`invalid EventStoreDB connection string: expected ${expected ?? 'esdb://host:port'}${where}`);
  }
}

/** Parses a connection string the way the client will, and describes it without secrets. TLS is on unless it says `tls=false`. */
export function summarizeEsdbUrl(url: string): EsdbConnectionSummary {
  const options = parse(url);
  return {
    hosts: options.hosts.map(({ address, port }) => `${address}:${port}`),
    discover: options.dnsDiscover,
    tls: options.tls !== false,
    tlsCAFile: options.tlsCAFile,
    authenticated: options.defaultCredentials !== undefined,
  };
}

const BATCH_APPEND = '/event_store.client.streams.Streams/BatchAppend';

/**
 * Makes the client append through the per-append `Append` RPC even where the server offers `BatchAppend`.
 * Client v6's BatchAppend path keeps its pending appends in one module-wide table and, when any client's
 * batch stream fails or is disposed, rejects them all, those of every other client in the process
 * included; and appends queued behind backpressure on a failing stream reject inside a Promise executor
 * nobody awaits, an unhandled rejection that ends a Node process. `Append` has neither problem and is
 * served by every 20+ server. The switch goes through the client's `supports` instance property (its
 * feature negotiation); on a client without it nothing changes.
 */
function useAppendRpc(client: EventStoreDBClient): void {
  const internals = client as unknown as { supports?: (method: { path: string }, feature?: string) => Promise<boolean> };
  const supports = internals.supports;
  if (typeof supports !== 'function') return;
  internals.supports = async (method, feature) => (method.path === BATCH_APPEND ? false : supports.call(client, method, feature));
}

/**
 * A client for the connection string (nothing connects until the first call), appending through `Append`
 * (see useAppendRpc). Refuses `throwOnAppendFailure=false`: the adapter maps the server's
 * WrongExpectedVersion error to ConcurrencyError, and client v6 reports the current revision wrongly on
 * that other path.
 */
export function createEsdbClient(url: string): EventStoreDBClient {
  const options = parse(url);
  if (options.throwOnAppendFailure === false) throw new Error('EventStoreDB connection string: throwOnAppendFailure=false is not supported');
  let client: EventStoreDBClient;
  try {
    client = EventStoreDBClient.connectionString(clientForm(url));
  } catch (error) {
    // Certificate-file errors name no secret; anything else is reported without the URL.
    throw new Error(`cannot use EventStoreDB connection string: ${(error as Error).message.replace(/\w+:\/\/\S*/g, '<url>')}`);
  }
  useAppendRpc(client);
  return client;
}

/**
 * Records every gRPC channel the client opens and returns a function that closes them: `dispose()` cancels
 * calls but leaves the channel (and its connection) open. Client v6 creates channels through its
 * `createChannel` instance property; asking it for its channel at close time instead could open a new one
 * and run cluster discovery. On a client without that property this records nothing.
 */
export function trackEsdbChannels(client: EventStoreDBClient): () => void {
  const channels = new Set<Channel>();
  const internals = client as unknown as { createChannel?: () => Promise<Channel> };
  const create = internals.createChannel;
  if (typeof create === 'function') {
    internals.createChannel = async () => {
      const channel = await create.call(client);
      channels.add(channel);
      return channel;
    };
  }
  return () => {
    for (const channel of channels) channel.close();
    channels.clear();
  };
}
