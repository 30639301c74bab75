import { randomUUID } from 'node:crypto';
import { credentials } from '@grpc/grpc-js';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  MaxAppendSizeExceededError,
  NotLeaderError,
  START,
  StreamNotFoundError,
  TimeoutError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  type Position,
} from '@eventstore/db-client';
import { UUID } from '@eventstore/db-client/generated/shared_pb';
import { StreamsClient } from '@eventstore/db-client/generated/streams_grpc_pb';
import { BatchAppendReq, type BatchAppendResp } from '@eventstore/db-client/generated/streams_pb';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import { startEsdbStandIn, type EsdbStandIn } from './index';
import { streamIdentifierOf } from './wire';

// These pin the stand-in to the server behaviour the EventStoreDB adapter relies on, seen through the
// real client (each modelled on KurrentDB's Streams.* / Enumerators.* sources, cited in README.md).

const standIns: EsdbStandIn[] = [];
const clients: EventStoreDBClient[] = [];

async function connect(options: Parameters<typeof startEsdbStandIn>[0] = {}): Promise<{ standIn: EsdbStandIn; client: EventStoreDBClient }> {
  const standIn = await startEsdbStandIn(options);
  standIns.push(standIn);
  const client = EventStoreDBClient.connectionString(standIn.url);
  clients.push(client);
  return { standIn, client };
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
  await Promise.all(standIns.splice(0).map((standIn) => standIn.stop()));
});

const proposed = (n = 1): ReturnType<typeof jsonEvent>[] => Array.from({ length: n }, (_, k) => jsonEvent({ type: 'Probe', data: { k } }));

async function positionsOf(client: EventStoreDBClient, options: Parameters<EventStoreDBClient['readAll']>[0]): Promise<Position[]> {
  const out: Position[] = [];
  for await (const { event } of client.readAll(options)) if (event) out.push(event.position);
  return out;
}

describe('EventStoreDB gRPC stand-in, seen through @eventstore/db-client', () => {
  it.each([true, false])('raises WrongExpectedVersionError with the current revision (BatchAppend advertised: %s)', async (batchAppend) => {
    const { client } = await connect({ batchAppend });
    await client.appendToStream('s-1', proposed(3), { expectedRevision: 'no_stream' });
    const wrong = async (stream: string, expectedRevision: bigint | 'no_stream' | 'stream_exists'): Promise<WrongExpectedVersionError> => {
      const error = await client.appendToStream(stream, proposed(), { expectedRevision }).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (!(error instanceof WrongExpectedVersionError)) throw new Error(`expected WrongExpectedVersionError, got ${String(error)}`);
      return error;
    };
    expect(await wrong('s-1', 'no_stream')).toMatchObject({ streamName: 's-1', expectedVersion: 'no_stream', actualVersion: 2n });
    expect(await wrong('s-1', 7n)).toMatchObject({ expectedVersion: 7n, actualVersion: 2n });
    expect(await wrong('s-2', 0n)).toMatchObject({ expectedVersion: 0n, actualVersion: 'no_stream' });
    expect(await wrong('s-2', 'stream_exists')).toMatchObject({ expectedVersion: 'stream_exists', actualVersion: 'no_stream' });
    const ok = await client.appendToStream('s-1', proposed(2), { expectedRevision: 2n });
    expect(ok).toMatchObject({ success: true, nextExpectedRevision: 4n });
  });

  it('answers a missing stream with StreamNotFound', async () => {
    const { client } = await connect();
    const read = async (): Promise<void> => {
      for await (const _ of client.readStream('nowhere', { direction: BACKWARDS, fromRevision: END })) throw new Error('no events expected');
    };
    await expect(read()).rejects.toBeInstanceOf(StreamNotFoundError);
  });

  it('reads $all forwards from a position inclusively and backwards from it exclusively', async () => {
    const { client } = await connect({ seedSystemEvents: false });
    await client.appendToStream('a-1', proposed(5));
    const all = await positionsOf(client, { fromPosition: START });
    expect(all).toHaveLength(5);
    expect(all.every((p) => p.commit === p.prepare)).toBe(true);
    expect(await positionsOf(client, { fromPosition: all[2] })).toEqual(all.slice(2));
    expect(await positionsOf(client, { fromPosition: all[2], direction: BACKWARDS })).toEqual([all[1], all[0]]);
    expect(await positionsOf(client, { fromPosition: END, direction: BACKWARDS, maxCount: 2 })).toEqual([all[4], all[3]]);
    expect(await positionsOf(client, { fromPosition: START, direction: FORWARDS, maxCount: 2 })).toEqual(all.slice(0, 2));
  });

  it('subscribes to $all after a position: confirmation, filtered catch-up, caughtUp, checkpoints, then live events', async () => {
    const { standIn, client } = await connect();
    await client.appendToStream('sub-1', proposed(40));
    const start = (await positionsOf(client, { fromPosition: START }))[5];
    const checkpoints: Position[] = [];
    const subscription = client.subscribeToAll({
      fromPosition: start,
      filter: excludeSystemEvents({ checkpointReached: (_s, position) => void checkpoints.push(position) }),
    });
    const confirmed = new Promise<void>((resolve) => subscription.once('confirmation', resolve));
    const caughtUp = new Promise<void>((resolve) => subscription.once('caughtUp', resolve));
    const types: string[] = [];
    const revisions: bigint[] = [];
    setTimeout(() => {
      standIn.log.writeSystemEvent('$stats-x', '$statsCollected', {});
      void client.appendToStream('sub-2', proposed(1));
    }, 50);
    for await (const { event } of subscription) {
      types.push(event!.type);
      revisions.push(event!.revision);
      if (event!.streamId === 'sub-2') break;
    }
    await Promise.all([confirmed, caughtUp]);
    // Two seeded system events precede sub-1, so index 5 of $all is sub-1@3: the subscription starts after it.
    expect(revisions.slice(0, 2)).toEqual([4n, 5n]);
    expect(revisions).toHaveLength(36 + 1);
    expect(types.every((type) => !type.startsWith('$'))).toBe(true);
    expect(checkpoints.length).toBeGreaterThan(0);
  });

  it('applies no part of a BatchAppend write whose final request never came', async () => {
    const { standIn } = await connect({ seedSystemEvents: false });
    const raw = new StreamsClient(`127.0.0.1:${standIn.port}`, credentials.createInsecure());
    const call = raw.batchAppend();
    call.on('error', () => undefined);
    const request = (stream: string, isFinal: boolean): BatchAppendReq => {
      const message = new BatchAppendReq.ProposedMessage().setId(new UUID().setString(randomUUID())).setData(Buffer.from('{}'));
      message.getMetadataMap().set('type', 'Probe').set('content-type', 'application/json');
      const options = new BatchAppendReq.Options().setStreamIdentifier(streamIdentifierOf(stream)).setAny(new Empty());
      return new BatchAppendReq().setCorrelationId(new UUID().setString(randomUUID())).setOptions(options).setProposedMessagesList([message]).setIsFinal(isFinal);
    };
    const answered = new Promise<BatchAppendResp>((resolve) => call.once('data', resolve));
    call.write(request('partial-1', false));
    call.write(request('complete-1', true));
    expect((await answered).hasSuccess()).toBe(true);
    call.cancel();
    raw.close();
    expect(standIn.log.events.map((e) => e.stream)).toEqual(['complete-1']);
    expect(standIn.log.streamIndexes('partial-1')).toBeUndefined();
  });

  it('refuses appends over MaxAppendSize counted as Event.SizeOnDisk, writing nothing', async () => {
    const { standIn, client } = await connect({ maxAppendBytes: 100, seedSystemEvents: false });
    // 'Probe' counts 10, data {"k":0} 7 and no metadata: 17 per event, so 5 fit and 6 do not.
    await client.appendToStream('size-1', proposed(5));
    const error = await client.appendToStream('size-2', proposed(6)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MaxAppendSizeExceededError);
    expect(error).toMatchObject({ maxAppendSize: 100 });
    expect(standIn.log.streamIndexes('size-2')).toBeUndefined();
  });

  it('as a follower, answers requires-leader calls with NotLeader and the leader’s endpoint, serves the rest from its replica', async () => {
    const { standIn: leader, client } = await connect({ seedSystemEvents: false });
    const follower = await startEsdbStandIn({ followerOf: leader, batchAppend: false });
    standIns.push(follower);
    const onFollower = EventStoreDBClient.connectionString(follower.url);
    clients.push(onFollower);
    await client.appendToStream('lead-1', proposed(2));
    // A read without requires-leader is the follower's own, from its replica that has not caught up yet.
    expect(await positionsOf(onFollower, { fromPosition: START })).toHaveLength(0);
    const refused = await onFollower.appendToStream('lead-1', proposed(), { requiresLeader: true }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NotLeaderError);
    expect(refused).toMatchObject({ leader: { address: '127.0.0.1', port: leader.port } });
    follower.replicate();
    expect(follower.log.events.map((e) => e.position)).toEqual(leader.log.events.map((e) => e.position));
  });

  it('refuses $all reads and subscriptions from a position that is not a record boundary, and skips position <= checkpoint', async () => {
    const { client } = await connect({ seedSystemEvents: false });
    await client.appendToStream('p-1', proposed(3));
    const all = await positionsOf(client, { fromPosition: START });
    const between = { commit: all[0].commit + 1n, prepare: all[0].prepare + 1n };
    await expect(positionsOf(client, { fromPosition: between })).rejects.toThrow(/invalid position/);
    const bad = client.subscribeToAll({ fromPosition: between });
    await expect(new Promise((_, reject) => bad.on('error', reject))).rejects.toThrow(/invalid position/);
    const subscription = client.subscribeToAll({ fromPosition: all[0] });
    for await (const { event } of subscription) {
      expect(event!.position).toEqual(all[1]);
      break;
    }
  });

  it.each(['commit-then-timeout', 'timeout-before-commit'] as const)('answers a %s append with a timeout; the repeat is written once', async (fault) => {
    // Faults are modelled on Append, the RPC the adapter uses.
    const { standIn, client } = await connect({ seedSystemEvents: false, idempotentWithoutPosition: true, batchAppend: false });
    standIn.appendFaults.push(fault);
    const events = proposed(2);
    await expect(client.appendToStream('t-1', events, { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(TimeoutError);
    expect(standIn.log.streamIndexes('t-1')?.length ?? 0).toBe(fault === 'commit-then-timeout' ? 2 : 0);
    const repeat = await client.appendToStream('t-1', events, { expectedRevision: 'no_stream' });
    expect(repeat).toMatchObject({ success: true, nextExpectedRevision: 1n });
    // IndexWriter.cs: an idempotent write not yet indexed has log position -1, sent as NoPosition.
    expect(repeat.position === undefined).toBe(fault === 'commit-then-timeout');
    expect(standIn.log.streamIndexes('t-1')).toHaveLength(2);
  });
});
