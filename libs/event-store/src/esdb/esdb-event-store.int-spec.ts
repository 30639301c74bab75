import { startEsdbStandIn, type EsdbStandIn } from '../../../../test/esdb-stand-in';
import { describeEventStoreConformance } from '../conformance/event-store.conformance';
import { EsdbEventStore } from './esdb-event-store';

let standIn: EsdbStandIn | undefined;

describeEventStoreConformance('EventStoreDB (gRPC stand-in)', {
  open: async () => {
    await standIn?.stop();
    // A system event after every 3rd append, as a live node writes its stats: the port must never show them.
    standIn = await startEsdbStandIn({ systemEventEvery: 3 });
    return new EsdbEventStore(standIn.url);
  },
  reopen: async () => new EsdbEventStore(standIn!.url),
  connectionUrl: () => standIn!.url,
  cleanup: async () => standIn?.stop(),
});
