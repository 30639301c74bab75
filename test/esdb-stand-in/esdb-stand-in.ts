import { Server, ServerCredentials, status } from '@grpc/grpc-js';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { aclFromLog, StandInAccess, type StandInUser } from './access';
import { appendHandler } from './append.handler';
import { batchAppendHandler } from './batch-append.handler';
import { readHandler } from './read.handler';
import { rpcError } from './rpc-errors';
import { serverFeaturesHandler } from './server-features.handler';
import { StandInLog, type StandInLogOptions } from './stand-in-log';
import { DEFAULT_MAX_APPEND_BYTES, StandInNode, type AppendFault } from './stand-in-node';

export interface EsdbStandInOptions extends StandInLogOptions {
  /** Advertise BatchAppend in ServerFeatures (the client then appends through it, as against a real 21+ node). Default true. */
  batchAppend?: boolean;
  /** Send $all positions on stream reads, as servers from 22.6 do. False emulates older servers. Default true. */
  streamReadPositions?: boolean;
  /** Write the `$settings` and `$user-admin` events a fresh node starts with. Default true. */
  seedSystemEvents?: boolean;
  /** Serve an existing log (e.g. to restart on the same storage). */
  log?: StandInLog;
  /** Listen on this port (default: a free one). */
  port?: number;
  /** Listen on this host (default 127.0.0.1; `localhost` binds every address it resolves to). */
  host?: string;
  /** MaxAppendSize in bytes (default 1 MiB, KurrentDB 25.0's default). */
  maxAppendBytes?: number;
  /** Answer idempotent repeats with no position (a server whose index has not caught up yet). Default false. */
  idempotentWithoutPosition?: boolean;
  /** Serve TLS with this PEM key and certificate (chain) instead of plain text. */
  tls?: { key: Buffer; cert: Buffer };
  /** Require basic-auth credentials of these users, and check the ACLs the log holds (`$settings`, `$all` metadata). */
  users?: Record<string, StandInUser>;
  /** Run as a follower of this leader: own replica of its log (see replicate()), NotLeader for requires-leader calls, writes forwarded. */
  followerOf?: EsdbStandIn;
}

export interface EsdbStandIn {
  /** `esdb://<host>:<port>?tls=false` (for a TLS stand-in: `esdb://<host>:<port>`, add `tlsCAFile` and credentials). */
  url: string;
  host: string;
  port: number;
  /** The log this node serves reads from (a follower's lagging replica). */
  log: StandInLog;
  /** Faults for the next appends, taken one per append in order. */
  appendFaults: AppendFault[];
  /** A follower catches up with its leader's log (no-op on a leader). */
  replicate(): void;
  /** Calls received per method, for tests that check how a client pages or which append path it took. */
  calls: { read: number; append: number; batchAppend: number; readCounts: bigint[] };
  /** HTTP/2 connections open now (read from grpc-js's server internals), to check that clients let go. */
  connections(): number;
  /** Stops at once: open calls are cut, as when the node goes away. */
  stop(): Promise<void>;
}

/**
 * Starts the EventStoreDB gRPC protocol stand-in for tests: the Streams (Read, Append, BatchAppend) and
 * ServerFeatures services built from the service definitions and messages shipped inside
 * `@eventstore/db-client`, over an in-memory log, plain-text on 127.0.0.1 unless given TLS, users or a leader
 * to follow. It is not a database server:
 * see README.md for what it models and what it does not.
 */
export async function startEsdbStandIn(options: EsdbStandInOptions = {}): Promise<EsdbStandIn> {
  const leader = options.followerOf;
  const log = options.log ?? new StandInLog(options);
  if (leader) log.replicateFrom(leader.log);
  else if (!options.log && options.seedSystemEvents !== false) {
    log.writeSystemEvent('$settings', '$settings', { $userStreamAcl: { $r: '$all', $w: '$all' } });
    log.writeSystemEvent('$user-admin', '$UserCreated', { loginName: 'admin', fullName: 'Event Store Administrator' });
  }
  const unimplemented = (_call: unknown, callback: (error: Error) => void): void =>
    callback(rpcError(status.UNIMPLEMENTED, 'not modelled by the EventStoreDB stand-in'));
  const host = options.host ?? '127.0.0.1';
  const calls: EsdbStandIn['calls'] = { read: 0, append: 0, batchAppend: 0, readCounts: [] };
  const node = new StandInNode(log, {
    writeLog: leader?.log ?? log,
    maxAppendBytes: options.maxAppendBytes ?? DEFAULT_MAX_APPEND_BYTES,
    idempotentWithoutPosition: options.idempotentWithoutPosition === true,
    access: options.users ? new StandInAccess(options.users, () => aclFromLog(leader?.log ?? log)) : undefined,
    leader: leader ? { host: leader.host, port: leader.port } : undefined,
  });
  const read = readHandler(node, { streamReadPositions: options.streamReadPositions !== false });
  const append = appendHandler(node);
  const batchAppend = batchAppendHandler(node);
  const server = new Server();
  server.addService(StreamsService, {
    read: (call: Parameters<typeof read>[0]) => {
      calls.read++;
      calls.readCounts.push(BigInt(call.request.getOptions()?.getCount() ?? '0'));
      read(call);
    },
    append: (call: Parameters<typeof append>[0], callback: Parameters<typeof append>[1]) => {
      calls.append++;
      append(call, callback);
    },
    batchAppend: (call: Parameters<typeof batchAppend>[0]) => {
      calls.batchAppend++;
      batchAppend(call);
    },
    delete: unimplemented,
    tombstone: unimplemented,
  });
  server.addService(ServerFeaturesService, {
    getSupportedMethods: serverFeaturesHandler({ batchAppend: options.batchAppend !== false, version: '24.10.0' }),
  });
  const credentials = options.tls
    ? ServerCredentials.createSsl(null, [{ private_key: options.tls.key, cert_chain: options.tls.cert }], false)
    : ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${options.port ?? 0}`, credentials, (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    url: options.tls ? `esdb://${host}:${port}` : `esdb://${host}:${port}?tls=false`,
    host,
    port,
    log,
    appendFaults: node.appendFaults,
    replicate: () => leader && log.replicateFrom(leader.log),
    calls,
    connections: () => (server as unknown as { sessions: Map<unknown, unknown> }).sessions.size,
    stop: async () => server.forceShutdown(),
  };
}
