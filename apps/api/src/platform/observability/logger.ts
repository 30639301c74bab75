import winston from 'winston';
import { redactMember, redactText, redactValue } from './redact';

export interface LoggerOptions {
  level: string;
  format: 'json' | 'pretty';
  /** Where lines go; defaults to stdout. Tests pass a stream to inspect every byte written. */
  stream?: NodeJS.WritableStream;
}

const META_KEYS_KEPT = new Set(['level', 'message', 'timestamp', 'requestId', 'context']);

/** Redacts every member of the log record but the few kept as they are (a line about a request passes its `requestId`). */
const redactRecord = winston.format((info) => {
  info.message = typeof info.message === 'string' ? redactText(info.message) : redactValue(info.message);
  for (const key of Object.keys(info)) {
    if (!META_KEYS_KEPT.has(key)) info[key] = redactMember(key, info[key]);
  }
  return info;
});

export function createLogger(options: LoggerOptions): winston.Logger {
  const format =
    options.format === 'json'
      ? winston.format.combine(winston.format.timestamp(), redactRecord(), winston.format.json())
      : winston.format.combine(
          winston.format.timestamp({ format: 'HH:mm:ss.SSS' }),
          redactRecord(),
          winston.format.colorize(),
          winston.format.printf(({ timestamp, level, message, requestId, context, ...rest }) => {
            const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
            const where = context ? ` [${String(context)}]` : '';
            const id = requestId ? ` (${String(requestId)})` : '';
            return `${String(timestamp)} ${level}${where}${id} ${String(message)}${extra}`;
          }),
        );
  const transport = options.stream
    ? new winston.transports.Stream({ stream: options.stream })
    : new winston.transports.Console();
  return winston.createLogger({ level: options.level, format, transports: [transport] });
}
