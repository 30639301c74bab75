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

/**
 * A client for the connection string (nothing connects until the first call). Refuses
 * `throwOnAppendFailure=false`: the adapter maps the server's WrongExpectedVersion error to ConcurrencyError,
 * and client v6 reports the current revision wrongly on that other path.
 */
export function createEsdbClient(url: string): EventStoreDBClient {
  const options = parse(url);
  if (options.throwOnAppendFailure === false) throw new Error('EventStoreDB connection string: throwOnAppendFailure=false is not supported');
  try {
    return EventStoreDBClient.connectionString(clientForm(url));
  } catch (error) {
    // Certificate-file errors name no secret; anything else is reported without the URL.
    throw new Error(`cannot use EventStoreDB connection string: ${(error as Error).message.replace(/\w+:\/\/\S*/g, '<url>')}`);
  }
}

/**
 * Closes the client's gRPC channel, which `dispose()` leaves open. The channel is a protected member of
 * client v6; asking for it when none exists would open one (and run discovery), so callers only do this
 * after the client has made a call.
 */
export async function closeEsdbChannel(client: EventStoreDBClient): Promise<void> {
  const getChannel = (client as unknown as { getChannel?: () => Promise<Channel> }).getChannel;
  if (typeof getChannel !== 'function') return;
  try {
    (await getChannel.call(client)).close();
  } catch {
    // No channel could be had (e.g. discovery failed): nothing is open.
  }
}
