import { MAX_STREAM_NAME_LENGTH } from '@ledgerline/event-store';

/** Page sizes of `GET /v1/audit/events` (SPEC §7.2). */
export const AUDIT_PAGE_DEFAULT = 100;
export const AUDIT_PAGE_MAX = 500;

export const STREAM_MAX_LENGTH = MAX_STREAM_NAME_LENGTH;
export const ACTOR_MAX_LENGTH = 200;
/** Printable text only: filters end up in sealed AuditAccessed events and in bundle headers. */
export const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]+$/u;
/** Event types are identifiers (`DocumentShared`, `AuditAccessed`). */
export const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/;
export const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
