import { status, type Metadata, type ServiceError } from '@grpc/grpc-js';
import type { StandInAccess, StreamOperation } from './access';
import { rpcError } from './rpc-errors';
import type { StandInLog } from './stand-in-log';

/** A one-shot write fault: the server's 2 s write timeout, before anything was written or after the commit. */
export type AppendFault = 'timeout-before-commit' | 'commit-then-timeout';

/** KurrentDB 25.0's default `MaxAppendSize` (ClusterVNodeOptions.cs): 1 MiB over all events of one append. */
export const DEFAULT_MAX_APPEND_BYTES = 1024 * 1024;

/**
 * What one stand-in node is: its log (a follower's own, lagging replica), where writes go, its limits and
 * its faults. Every handler asks it before serving a call.
 */
export class StandInNode {
  /** Appends still to fail, in order (see AppendFault). */
  readonly appendFaults: AppendFault[] = [];

  constructor(
    readonly log: StandInLog,
    private readonly options: {
      /** Where appends are applied: the node's own log on a leader, the leader's on a follower (which forwards writes). */
      writeLog: StandInLog;
      maxAppendBytes: number;
      /** Answer idempotent writes with no position, as IndexWriter.cs does while the repeated events are not yet indexed. */
      idempotentWithoutPosition: boolean;
      access?: StandInAccess;
      /** Set on a follower: the leader's endpoint, sent with NotLeader. */
      leader?: { host: string; port: number };
    },
  ) {}

  get writeLog(): StandInLog {
    return this.options.writeLog;
  }

  get maxAppendBytes(): number {
    return this.options.maxAppendBytes;
  }

  get idempotentWithoutPosition(): boolean {
    return this.options.idempotentWithoutPosition;
  }

  /**
   * The refusal for a call, or undefined: authentication and ACLs first (when users are configured), then
   * leadership. A follower serves reads and forwards writes unless the call says `requires-leader`; then it
   * answers NotLeader with the leader's endpoint (ClusterVNodeController.cs `HandleAsNonLeader` →
   * `DenyRequestBecauseNotLeader`, sent as RpcExceptions.cs `LeaderInfo`).
   */
  refusal(metadata: Metadata, operation: StreamOperation): ServiceError | undefined {
    const denied = this.options.access?.check(metadata, operation);
    if (denied) return denied;
    const leader = this.options.leader;
    if (!leader || metadata.get('requires-leader')[0]?.toString() !== 'true') return undefined;
    return rpcError(status.NOT_FOUND, 'Leader info available', 'not-leader', {
      'leader-endpoint-host': leader.host,
      'leader-endpoint-port': String(leader.port),
    });
  }
}

/** Event.cs `SizeOnDisk`: data and metadata bytes plus the type's UTF-16 length twice over. */
export function sizeOnDisk(event: { type: string; data: Uint8Array; metadata: Uint8Array }): number {
  return event.data.length + event.metadata.length + event.type.length * 2;
}

/** RpcExceptions.cs `MaxAppendSizeExceeded`. */
export function maxAppendSizeExceeded(limit: number): ServiceError {
  return rpcError(status.INVALID_ARGUMENT, `Maximum Append Size of ${limit} Exceeded.`, 'maximum-append-size-exceeded', {
    'maximum-append-size': String(limit),
  });
}

/** RpcExceptions.cs `Timeout`: ABORTED with no exception trailer (the client calls it a TimeoutError). */
export function writeTimedOut(): ServiceError {
  return rpcError(status.ABORTED, 'Operation timed out: Commit timed out.');
}

/** RpcExceptions.cs `InvalidPositionException`: INVALID_ARGUMENT with no exception trailer. */
export function invalidPosition(): ServiceError {
  return rpcError(status.INVALID_ARGUMENT, 'Trying to read from an invalid position.');
}
