import { Injectable, PipeTransform } from '@nestjs/common';
import { invalidRequest } from '../../../platform/openapi/validation-problem';
import { EVENT_ID } from './audit-limits';

/** Event and job ids are lowercase UUIDs; anything else is a malformed request, not an unknown id. */
@Injectable()
export class UuidParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !EVENT_ID.test(value)) throw invalidRequest([{ field: 'id', rules: ['isLowercaseUuid'] }]);
    return value;
  }
}
