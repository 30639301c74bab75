import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from '@ledgerline/domain';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Document ids are lowercase UUIDs; anything else names no document the caller can see (404, like any other). */
@Injectable()
export class DocumentIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !UUID.test(value)) throw new DomainError('document-not-found', 'document not found');
    return value;
  }
}
