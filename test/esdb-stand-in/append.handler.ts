import type { handleClientStreamingCall } from '@grpc/grpc-js';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { AppendReq, AppendResp } from '@eventstore/db-client/generated/streams_pb';
import { proposedEventOf } from './proposed-event';
import { badRequest } from './rpc-errors';
import type { AppendOutcome, Expectation, ProposedEvent } from './stand-in-log';
import { maxAppendSizeExceeded, sizeOnDisk, writeTimedOut, type StandInNode } from './stand-in-node';
import { streamNameOf } from './wire';

const Case = AppendReq.Options.ExpectedStreamRevisionCase;

function expectationOf(options: AppendReq.Options): Expectation {
  switch (options.getExpectedStreamRevisionCase()) {
    case Case.ANY:
      return { kind: 'any' };
    case Case.NO_STREAM:
      return { kind: 'no_stream' };
    case Case.STREAM_EXISTS:
      return { kind: 'stream_exists' };
    case Case.REVISION:
      return { kind: 'revision', revision: Number(options.getRevision()) };
    default:
      throw badRequest('expected stream revision not set');
  }
}

/**
 * The unary answer, shaped as KurrentDB's Streams.Append builds it: WrongExpectedVersion is a result, not an
 * RPC error, and the server fills the pre-20.6 fields beside the current ones (except the uint64 -1 it
 * writes for an expected "no stream", which a JS number cannot carry).
 */
function responseOf(outcome: AppendOutcome, expectation: Expectation, idempotentWithoutPosition: boolean): AppendResp {
  const response = new AppendResp();
  if (outcome.ok) {
    const success = new AppendResp.Success().setCurrentRevision(String(outcome.currentRevision));
    // A CommitPosition of -1 (an idempotent write not yet indexed) goes out as NoPosition.
    if (outcome.idempotent && idempotentWithoutPosition) return response.setSuccess(success.setNoPosition(new Empty()));
    const position = new AppendResp.Position().setCommitPosition(outcome.position.commit.toString()).setPreparePosition(outcome.position.prepare.toString());
    return response.setSuccess(success.setPosition(position));
  }
  const wrong = new AppendResp.WrongExpectedVersion();
  switch (expectation.kind) {
    case 'any':
      wrong.setExpectedAny(new Empty()).setAny2060(new Empty());
      break;
    case 'stream_exists':
      wrong.setExpectedStreamExists(new Empty()).setStreamExists2060(new Empty());
      break;
    case 'no_stream':
      wrong.setExpectedNoStream(new Empty());
      break;
    case 'revision':
      wrong.setExpectedRevision(String(expectation.revision)).setExpectedRevision2060(expectation.revision);
      break;
  }
  if (outcome.currentRevision === undefined) wrong.setCurrentNoStream(new Empty()).setNoStream2060(new Empty());
  else wrong.setCurrentRevision(String(outcome.currentRevision)).setCurrentRevision2060(outcome.currentRevision);
  return response.setWrongExpectedVersion(wrong);
}

/**
 * Streams.Append: client-streaming, options first, then one proposed message per request; written when the
 * request stream ends. As Streams.Append.cs: access is checked on the options, each event's SizeOnDisk is
 * added up as it arrives and the call fails once the total passes MaxAppendSize; a write timeout is an
 * ABORTED answer that says nothing about whether the events were written.
 */
export function appendHandler(node: StandInNode): handleClientStreamingCall<AppendReq, AppendResp> {
  return (call, callback) => {
    let options: AppendReq.Options | undefined;
    let size = 0;
    const proposed: ProposedEvent[] = [];
    let failed = false;
    const fail = (error: unknown): void => {
      if (failed) return;
      failed = true;
      callback(error as Error);
    };
    call.on('data', (request: AppendReq) => {
      if (failed) return;
      try {
        if (!options) {
          options = request.getOptions();
          if (!options) throw badRequest('the first append request must carry options');
          const refusal = node.refusal(call.metadata, { action: 'write', stream: streamNameOf(options.getStreamIdentifier()) });
          if (refusal) throw refusal;
          return;
        }
        const message = request.getProposedMessage();
        if (!message) throw badRequest('append requests after the first must carry a proposed message');
        const event = proposedEventOf(message);
        size += sizeOnDisk(event);
        if (size > node.maxAppendBytes) throw maxAppendSizeExceeded(node.maxAppendBytes);
        proposed.push(event);
      } catch (error) {
        fail(error);
      }
    });
    call.on('end', () => {
      if (failed) return;
      try {
        if (!options) throw badRequest('append without options');
        if (proposed.length === 0) throw badRequest('the stand-in does not model empty appends');
        const expectation = expectationOf(options);
        const fault = node.appendFaults.shift();
        if (fault === 'timeout-before-commit') throw writeTimedOut();
        const outcome = node.writeLog.append(streamNameOf(options.getStreamIdentifier()), expectation, proposed);
        if (fault === 'commit-then-timeout') throw writeTimedOut();
        callback(null, responseOf(outcome, expectation, node.idempotentWithoutPosition));
      } catch (error) {
        fail(error);
      }
    });
  };
}
