import { Injectable, PipeTransform } from '@nestjs/common';
import { USER_ID_PATTERN } from '../../access/authentication/session-claims';
import { invalidRequest } from '../../../platform/openapi/validation-problem';

/** A user id in a route (the person a document is shared with) has the shape of a signed-in user's id. */
@Injectable()
export class UserIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !USER_ID_PATTERN.test(value)) {
      throw invalidRequest([{ field: 'userId', rules: ['matches'] }]);
    }
    return value;
  }
}
