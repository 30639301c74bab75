import type { handleUnaryCall } from '@grpc/grpc-js';
import type { Empty } from '@eventstore/db-client/generated/shared_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';

/**
 * ServerFeatures.GetSupportedMethods, listing what the stand-in implements in the server's form (lowercase
 * service and method names, the same feature strings). The client negotiates from it: BatchAppend listed →
 * appends go through BatchAppend, else through Append.
 */
export function serverFeaturesHandler(options: { batchAppend: boolean; version: string }): handleUnaryCall<Empty, SupportedMethods> {
  const method = (service: string, name: string, features: string[] = []): SupportedMethod =>
    new SupportedMethod().setServiceName(service).setMethodName(name).setFeaturesList(features);
  const streams = 'event_store.client.streams.streams';
  const methods = [
    method(streams, 'read', ['position', 'events']),
    method(streams, 'append'),
    ...(options.batchAppend ? [method(streams, 'batchappend', ['deadline_duration'])] : []),
    method('event_store.client.server_features.serverfeatures', 'getsupportedmethods'),
  ];
  const answer = new SupportedMethods().setMethodsList(methods).setEventStoreServerVersion(options.version);
  return (_call, callback) => callback(null, answer);
}
