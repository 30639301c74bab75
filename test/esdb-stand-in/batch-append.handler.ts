import { status, type handleBidiStreamingCall } from '@grpc/grpc-js';
import { Empty as WellKnownEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Code } from '@eventstore/db-client/generated/code_pb';
import { AccessDenied, AllStreamPosition, BadRequest, MaximumAppendSizeExceeded, WrongExpectedVersion } from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { BatchAppendReq, BatchAppendResp } from '@eventstore/db-client/generated/streams_pb';
import { proposedEventOf } from './proposed-event';
import type { AppendOutcome, Expectation, ProposedEvent } from './stand-in-log';
import { sizeOnDisk, type StandInNode } from './stand-in-node';
import { streamIdentifierOf, streamNameOf, uuidStringOf } from './wire';

const Case = BatchAppendReq.Options.ExpectedStreamPositionCase;

interface PendingWrite {
  stream: string;
  expectation: Expectation;
  events: ProposedEvent[];
}

function expectationOf(options: BatchAppendReq.Options): Expectation {
  switch (options.getExpectedStreamPositionCase()) {
    case Case.ANY:
      return { kind: 'any' };
    case Case.NO_STREAM:
      return { kind: 'no_stream' };
    case Case.STREAM_EXISTS:
      return { kind: 'stream_exists' };
    case Case.STREAM_POSITION:
      return { kind: 'revision', revision: Number(options.getStreamPosition()) };
    default:
      throw new Error('expected stream position not set');
  }
}

function packed(code: Code, message: string, detail: { serializeBinary(): Uint8Array }, typeName: string): Status {
  const any = new Any();
  any.pack(detail.serializeBinary(), typeName);
  return new Status().setCode(code).setMessage(message).setDetails(any);
}

/** The server's Status.WrongExpectedVersion: ALREADY_EXISTS with a packed event_store.client.WrongExpectedVersion. */
function wrongExpectedVersionOf(currentRevision: number | undefined, expectation: Expectation): Status {
  const detail = new WrongExpectedVersion();
  if (currentRevision === undefined) detail.setCurrentNoStream(new WellKnownEmpty());
  else detail.setCurrentStreamRevision(String(currentRevision));
  if (expectation.kind === 'any') detail.setExpectedAny(new WellKnownEmpty());
  else if (expectation.kind === 'no_stream') detail.setExpectedNoStream(new WellKnownEmpty());
  else if (expectation.kind === 'stream_exists') detail.setExpectedStreamExists(new WellKnownEmpty());
  else detail.setExpectedStreamPosition(String(expectation.revision));
  return packed(Code.ALREADY_EXISTS, 'WrongExpectedVersion', detail, 'event_store.client.WrongExpectedVersion');
}

function resultOf(outcome: AppendOutcome, expectation: Expectation, response: BatchAppendResp): BatchAppendResp {
  if (!outcome.ok) return response.setError(wrongExpectedVersionOf(outcome.currentRevision, expectation));
  const position = new AllStreamPosition().setCommitPosition(outcome.position.commit.toString()).setPreparePosition(outcome.position.prepare.toString());
  return response.setSuccess(new BatchAppendResp.Success().setCurrentRevision(String(outcome.currentRevision)).setPosition(position));
}

/**
 * Streams.BatchAppend: one long-lived duplex call carrying many appends, each a run of requests with one
 * correlation id (options on the first, `is_final` on the last); every append is answered by correlation id,
 * as KurrentDB's BatchAppendWorker does. A write cut off before its final request is never applied. A write
 * the user may not make, or one past MaxAppendSize, is answered with the packed AccessDenied /
 * MaximumAppendSizeExceeded status Streams.BatchAppend.cs sends.
 */
export function batchAppendHandler(node: StandInNode): handleBidiStreamingCall<BatchAppendReq, BatchAppendResp> {
  return (call) => {
    const pending = new Map<string, PendingWrite>();
    call.on('data', (request: BatchAppendReq) => {
      const correlationId = request.getCorrelationId();
      const key = uuidStringOf(correlationId);
      const response = new BatchAppendResp().setCorrelationId(correlationId);
      try {
        const options = request.getOptions();
        if (options) response.setStreamIdentifier(options.getStreamIdentifier());
        if (options) {
          const stream = streamNameOf(options.getStreamIdentifier());
          pending.set(key, { stream, expectation: expectationOf(options), events: [] });
        }
        const write = pending.get(key);
        if (!write) return;
        for (const message of request.getProposedMessagesList()) write.events.push(proposedEventOf(message));
        if (!request.getIsFinal()) return;
        pending.delete(key);
        response.setStreamIdentifier(streamIdentifierOf(write.stream));
        if (write.events.length === 0) throw new Error('the stand-in does not model empty appends');
        const refusal = node.refusal(call.metadata, { action: 'write', stream: write.stream });
        if (refusal?.code === status.PERMISSION_DENIED) {
          call.write(response.setError(packed(Code.PERMISSION_DENIED, 'Access Denied', new AccessDenied(), 'event_store.client.AccessDenied')));
          return;
        }
        // Not authenticated, or not the leader: the whole call fails, as for the other RPCs.
        if (refusal) return void call.emit('error', refusal);
        const limit = node.maxAppendBytes;
        if (write.events.reduce((sum, event) => sum + sizeOnDisk(event), 0) > limit) {
          const detail = new MaximumAppendSizeExceeded().setMaxappendsize(limit);
          call.write(response.setError(packed(Code.INVALID_ARGUMENT, `Maximum Append Size of ${limit} Exceeded.`, detail, 'event_store.client.MaximumAppendSizeExceeded')));
          return;
        }
        call.write(resultOf(node.writeLog.append(write.stream, write.expectation, write.events), write.expectation, response));
      } catch (error) {
        const stream = pending.get(key)?.stream ?? '';
        pending.delete(key);
        if (!response.hasStreamIdentifier()) response.setStreamIdentifier(streamIdentifierOf(stream));
        const detail = new BadRequest().setMessage((error as Error).message);
        call.write(response.setError(packed(Code.INVALID_ARGUMENT, 'BadRequest', detail, 'event_store.client.BadRequest')));
      }
    });
    call.on('end', () => call.end());
    call.on('error', () => pending.clear());
  };
}
