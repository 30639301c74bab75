import type { ReadReq } from '@eventstore/db-client/generated/streams_pb';
import type { StoredEvent } from './stand-in-log';

/** A server-side $all filter: which events pass, and after how many considered events a checkpoint is due. */
export interface ReadFilter {
  passes(event: StoredEvent): boolean;
  checkpointEvery: number;
}

// The server's default search window (ReadBatchSize) when the request names none.
const DEFAULT_WINDOW = 32;

/** The filter a read request asks for (event type or stream name; prefixes, else a regex), or undefined for none. */
export function readFilterOf(options: ReadReq.Options): ReadFilter | undefined {
  const filter = options.getFilter();
  if (!filter) return undefined;
  const onType = filter.hasEventType();
  const expression = onType ? filter.getEventType() : filter.getStreamIdentifier();
  if (!expression) throw new Error('filter names neither event type nor stream');
  const prefixes = expression.getPrefixList();
  const regex = prefixes.length === 0 ? new RegExp(expression.getRegex()) : undefined;
  const window = filter.hasMax() ? filter.getMax() : DEFAULT_WINDOW;
  return {
    passes: (event) => {
      const subject = onType ? event.type : event.stream;
      return regex ? regex.test(subject) : prefixes.some((prefix) => subject.startsWith(prefix));
    },
    checkpointEvery: Math.max(1, filter.getCheckpointintervalmultiplier()) * window,
  };
}
