import { AuditFilterDto } from '../../http/audit-filter.dto';

/** `POST /v1/audit/exports` body: the filters of `GET /v1/audit/events` (SPEC §5); unknown members are 400. */
export class ExportRequestDto extends AuditFilterDto {}
