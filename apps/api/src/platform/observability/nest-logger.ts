import type { LoggerService } from '@nestjs/common';
import type winston from 'winston';

/** Routes Nest's own log calls into winston (and so through redaction). */
export class WinstonNestLogger implements LoggerService {
  constructor(private readonly logger: winston.Logger) {}

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }
  error(message: unknown, stackOrContext?: string, context?: string): void {
    // Nest passes (message, stack, context) for errors; keep the stack out of the message itself.
    this.write('error', message, context ?? stackOrContext);
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('verbose', message, context);
  }

  private write(level: string, message: unknown, context?: string): void {
    if (typeof message === 'string') this.logger.log(level, message, { context });
    else this.logger.log(level, 'event', { context, detail: message });
  }
}
