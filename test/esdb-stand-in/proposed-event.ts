import type { AppendReq, BatchAppendReq } from '@eventstore/db-client/generated/streams_pb';
import { missingMetadata } from './rpc-errors';
import type { ProposedEvent } from './stand-in-log';
import { uuidStringOf } from './wire';

/** A proposed message as the log stores it; `type` and `content-type` are required, as on the server. */
export function proposedEventOf(message: AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage): ProposedEvent {
  const entries = message.getMetadataMap();
  const type = entries.get('type');
  if (type === undefined) throw missingMetadata('type');
  const contentType = entries.get('content-type');
  if (contentType === undefined) throw missingMetadata('content-type');
  return {
    id: uuidStringOf(message.getId()),
    type,
    contentType,
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
}
