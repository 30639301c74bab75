export { startEsdbStandIn, type EsdbStandIn, type EsdbStandInOptions } from './esdb-stand-in';
export { StandInLog, type StandInLogOptions, type StoredEvent, type LogPosition } from './stand-in-log';
