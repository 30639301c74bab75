export { startEsdbStandIn, type EsdbStandIn, type EsdbStandInOptions } from './esdb-stand-in';
export { StandInLog, type StandInLogOptions, type StoredEvent, type LogPosition } from './stand-in-log';
export { DEFAULT_ACL, aclFromLog, type StandInAcl, type StandInUser } from './access';
export { makeTestCertificates, type TestCertificates } from './test-certificates';
export { standInFixtures, type Closable } from './stand-in-fixtures';
