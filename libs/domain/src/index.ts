export { DOMAIN_ERROR_CATEGORIES, DomainError, isDomainError } from './shared/domain-error';
export type { DomainErrorCategory, DomainErrorCode } from './shared/domain-error';
export { isEncryptedValue } from './shared/encrypted-value';
export type { EncryptedValue } from './shared/encrypted-value';
export { foldEvents } from './shared/decider';
export type { CommandMetadata, Decider, DomainCommand, DomainEvent } from './shared/decider';

export { ACCOUNT_EVENT_TYPES, accountStreamName, isAccountEvent } from './account/account.events';
export type { AccountEvent, ProfileUpdated, SubjectErased } from './account/account.events';
export type { AccountCommand, EraseSubject, UpdateProfile } from './account/account.commands';
export {
  accountDecider,
  decideAccount,
  evolveAccount,
  initialAccountState,
  PROFILE_FIELDS,
} from './account/account.decider';
export type { AccountState, ProfileField } from './account/account.decider';

export { DOCUMENT_EVENT_TYPES, documentStreamName, isDocumentEvent } from './document/document.events';
export type {
  DocumentCreated,
  DocumentDeleted,
  DocumentEdited,
  DocumentEvent,
  DocumentShared,
  DocumentUnshared,
  ShareAccess,
} from './document/document.events';
export type {
  CreateDocument,
  DeleteDocument,
  DocumentCommand,
  EditDocument,
  ShareDocument,
  UnshareDocument,
} from './document/document.commands';
export {
  decideDocument,
  documentAccess,
  documentDecider,
  evolveDocument,
  FREE_PLAN_DOCUMENT_LIMIT,
  initialDocumentState,
} from './document/document.decider';
export type { DocumentAccess, DocumentState, LiveDocumentState } from './document/document.decider';

export {
  DOCUMENT_QUOTA_EVENT_TYPES,
  documentQuotaStreamName,
  isDocumentQuotaEvent,
} from './document-quota/document-quota.events';
export type { DocumentQuotaEvent, DocumentSlotFreed, DocumentSlotTaken } from './document-quota/document-quota.events';
export type { DocumentQuotaCommand, FreeDocumentSlot, TakeDocumentSlot } from './document-quota/document-quota.commands';
export { decideDocumentQuota, documentQuotaDecider, documentQuotaNeedsPlan, evolveDocumentQuota, initialDocumentQuotaState } from './document-quota/document-quota.decider';
export type { DocumentQuotaState } from './document-quota/document-quota.decider';

export { ACCESS_EVENT_TYPES, ACCESS_STREAM, isAccessEvent, isRole, ROLES } from './access/access.events';
export type { AccessEvent, Role, RoleActor, RoleGranted, RoleRevoked } from './access/access.events';
export type { AccessCommand, GrantRole, RevokeRole } from './access/access.commands';
export { accessDecider, decideAccess, evolveAccess, initialAccessState, rolesOf } from './access/access.decider';
export type { AccessState } from './access/access.decider';

export * from './billing/index';
