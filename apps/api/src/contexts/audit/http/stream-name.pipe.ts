import { Injectable, PipeTransform } from '@nestjs/common';
import { invalidRequest } from '../../../platform/openapi/validation-problem';
import { NO_CONTROL_CHARACTERS, STREAM_MAX_LENGTH } from './audit-limits';

/** A stream name in a route: 1–200 printable characters (the store's own rule). */
@Injectable()
export class StreamNamePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || value.length === 0 || value.length > STREAM_MAX_LENGTH || !NO_CONTROL_CHARACTERS.test(value)) {
      throw invalidRequest([{ field: 'stream', rules: ['isStreamName'] }]);
    }
    return value;
  }
}
