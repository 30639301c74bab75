import { randomUUID } from 'node:crypto';
import type { handleServerStreamingCall } from '@grpc/grpc-js';
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { readFilterOf, type ReadFilter } from './read-filter';
import { ResponseWriter } from './response-writer';
import { comparePositions, type LogPosition, type StandInLog, type StoredEvent } from './stand-in-log';
import { invalidPosition, type StandInNode } from './stand-in-node';
import { readEventResponseOf, streamNameOf } from './wire';

const { ReadDirection, CountOptionCase } = ReadReq.Options;
const StreamRevision = ReadReq.Options.StreamOptions.RevisionOptionCase;
const AllFrom = ReadReq.Options.AllOptions.AllOptionCase;

type Writer = ResponseWriter<ReadReq, ReadResp>;

interface ReadContext {
  log: StandInLog;
  writer: Writer;
  structuredIds: boolean;
  /** False emulates servers before 22.6, which sent no $all position on stream reads (2^64-1 instead). */
  streamReadPositions: boolean;
}

function positionOf(message: ReadReq.Options.Position | undefined): LogPosition {
  if (!message) throw new Error('position missing');
  return { commit: BigInt(message.getCommitPosition()), prepare: BigInt(message.getPreparePosition()) };
}

/** A `$all` start position; one that is not a record boundary is refused as the server refuses it. */
function boundaryOf(log: StandInLog, message: ReadReq.Options.Position | undefined): LogPosition {
  const position = positionOf(message);
  if (!log.isRecordBoundary(position)) throw invalidPosition();
  return position;
}

function sendEvent(context: ReadContext, event: StoredEvent, withPosition = true): Promise<boolean> {
  return context.writer.send(readEventResponseOf(event, { structuredIds: context.structuredIds, withPosition }));
}

/** A bounded read of one stream; a missing stream answers StreamNotFound, as the server does. */
async function readStream(context: ReadContext, options: ReadReq.Options.StreamOptions, backwards: boolean, count: bigint): Promise<void> {
  const identifier = options.getStreamIdentifier();
  const indexes = context.log.streamIndexes(streamNameOf(identifier));
  if (!indexes) {
    await context.writer.send(new ReadResp().setStreamNotFound(new ReadResp.StreamNotFound().setStreamIdentifier(identifier)));
    return;
  }
  const last = indexes.length - 1;
  const requested = options.getRevisionOptionCase() === StreamRevision.REVISION ? Number(options.getRevision()) : undefined;
  const caseOf = options.getRevisionOptionCase();
  let revision = backwards
    ? caseOf === StreamRevision.START ? 0 : Math.min(requested ?? last, last)
    : caseOf === StreamRevision.END ? indexes.length : (requested ?? 0);
  for (let sent = 0n; sent < count && revision >= 0 && revision <= last; sent++, revision += backwards ? -1 : 1) {
    if (!(await sendEvent(context, context.log.events[indexes[revision]], context.streamReadPositions))) return;
  }
}

/** A bounded read of $all: forwards from a position is inclusive, backwards is strictly before it (TFPos pre/post positions). */
async function readAll(context: ReadContext, options: ReadReq.Options.AllOptions, backwards: boolean, count: bigint, filter?: ReadFilter): Promise<void> {
  const { log } = context;
  const from = options.getAllOptionCase();
  let index: number;
  if (from === AllFrom.POSITION) index = log.firstIndexAtOrAfter(boundaryOf(log, options.getPosition())) - (backwards ? 1 : 0);
  else if (from === AllFrom.END) index = backwards ? log.events.length - 1 : log.events.length;
  else index = backwards ? -1 : 0;
  const end = log.events.length;
  for (let sent = 0n; sent < count && index >= 0 && index < end; index += backwards ? -1 : 1) {
    const event = log.events[index];
    if (filter && !filter.passes(event)) continue;
    if (!(await sendEvent(context, event))) return;
    sent++;
  }
}

/**
 * A catch-up subscription: confirmation, every event after the start, `caught_up` once at the head, then
 * live events as they are appended. One cursor walks the log for both phases, so nothing is skipped or
 * repeated at the switch. A `$all` start position is a checkpoint: it must be a record boundary
 * (InvalidPosition otherwise), and every event at or before it is skipped (`position <= checkpoint`,
 * Enumerator.AllSubscription.cs CatchUp/GoLive).
 */
async function subscribe(context: ReadContext, options: ReadReq.Options, filter?: ReadFilter): Promise<void> {
  const { log, writer } = context;
  const confirmation = new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID());
  if (!(await writer.send(new ReadResp().setConfirmation(confirmation)))) return;
  const streamOptions = options.getStream();
  const source = streamOptions
    ? (): readonly number[] => log.streamIndexes(streamNameOf(streamOptions.getStreamIdentifier())) ?? []
    : undefined;
  let cursor: number;
  if (streamOptions) {
    const caseOf = streamOptions.getRevisionOptionCase();
    cursor = caseOf === StreamRevision.END ? source!().length : caseOf === StreamRevision.REVISION ? Number(streamOptions.getRevision()) + 1 : 0;
  } else {
    const all = options.getAll();
    const from = all?.getAllOptionCase();
    if (from === AllFrom.END) cursor = log.events.length;
    else if (from === AllFrom.POSITION) {
      const checkpoint = boundaryOf(log, all!.getPosition());
      cursor = log.firstIndexAtOrAfter(checkpoint);
      while (cursor < log.events.length && comparePositions(log.events[cursor].position, checkpoint) <= 0) cursor++;
    } else cursor = 0;
  }
  let caughtUp = false;
  let considered = 0;
  while (!writer.signal.aborted) {
    const indexes = source?.();
    const length = indexes ? indexes.length : log.events.length;
    while (cursor < length) {
      const event = log.events[indexes ? indexes[cursor] : cursor];
      cursor++;
      considered++;
      if (!filter || filter.passes(event)) {
        if (!(await sendEvent(context, event))) return;
      }
      if (filter && considered % filter.checkpointEvery === 0) {
        const checkpoint = new ReadResp.Checkpoint().setCommitPosition(event.position.commit.toString()).setPreparePosition(event.position.prepare.toString());
        if (!(await writer.send(new ReadResp().setCheckpoint(checkpoint)))) return;
      }
    }
    if (!caughtUp) {
      caughtUp = true;
      if (!(await writer.send(new ReadResp().setCaughtUp(new ReadResp.CaughtUp())))) return;
    }
    // Checking and waiting in one synchronous step: no append can slip in between.
    if ((source ? source().length : log.events.length) > cursor) continue;
    await log.nextAppend(writer.signal);
  }
}

/** Streams.Read: bounded reads of a stream or $all (either direction, optional filter) and catch-up subscriptions. */
export function readHandler(node: StandInNode, options: { streamReadPositions: boolean }): handleServerStreamingCall<ReadReq, ReadResp> {
  return (call) => {
    const writer = new ResponseWriter(call);
    const run = async (): Promise<void> => {
      const request = call.request.getOptions();
      if (!request) throw new Error('read request without options');
      const streamOptions = request.getStream();
      const refusal = node.refusal(call.metadata, { action: 'read', stream: streamOptions ? streamNameOf(streamOptions.getStreamIdentifier()) : '$all' });
      if (refusal) throw refusal;
      const context: ReadContext = {
        log: node.log,
        writer,
        // Anything but an explicit request for strings gets the structured form, as on the server.
        structuredIds: !request.getUuidOption()?.hasString(),
        streamReadPositions: options.streamReadPositions,
      };
      const filter = readFilterOf(request);
      if (request.getCountOptionCase() === CountOptionCase.SUBSCRIPTION) return subscribe(context, request, filter);
      const backwards = request.getReadDirection() === ReadDirection.BACKWARDS;
      const count = BigInt(request.getCount());
      const stream = request.getStream();
      if (stream) return readStream(context, stream, backwards, count);
      const all = request.getAll();
      if (!all) throw new Error('read request names neither a stream nor $all');
      return readAll(context, all, backwards, count, filter);
    };
    run().then(
      () => writer.end(),
      (error: Error) => call.emit('error', error),
    );
  };
}
