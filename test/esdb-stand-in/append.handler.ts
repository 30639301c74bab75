import type { handleClientStreamingCall } from '@grpc/grpc-js';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { AppendReq, AppendResp } from '@eventstore/db-client/generated/streams_pb';
import { proposedEventOf } from './proposed-event';
import { badRequest } from './rpc-errors';
import type { AppendOutcome, Expectation, ProposedEvent, StandInLog } from './stand-in-log';
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
function responseOf(outcome: AppendOutcome, expectation: Expectation): AppendResp {
  const response = new AppendResp();
  if (outcome.ok) {
    const position = new AppendResp.Position().setCommitPosition(outcome.position.commit.toString()).setPreparePosition(outcome.position.prepare.toString());
    return response.setSuccess(new AppendResp.Success().setCurrentRevision(String(outcome.currentRevision)).setPosition(position));
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

/** Streams.Append: client-streaming, options first, then one proposed message per request; written when the request stream ends. */
export function appendHandler(log: StandInLog): handleClientStreamingCall<AppendReq, AppendResp> {
  return (call, callback) => {
    let options: AppendReq.Options | undefined;
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
          return;
        }
        const message = request.getProposedMessage();
        if (!message) throw badRequest('append requests after the first must carry a proposed message');
        proposed.push(proposedEventOf(message));
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
        callback(null, responseOf(log.append(streamNameOf(options.getStreamIdentifier()), expectation, proposed), expectation));
      } catch (error) {
        fail(error);
      }
    });
  };
}
