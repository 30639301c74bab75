import { loadWorkerConfig } from '@ledgerline/config';
import { exitOnStartFailure, serve } from './server';

// The worker runs the projections and the notary (leader-elected on PostgreSQL); it serves HTTP too,
// for its health and metrics, and is not meant to be exposed behind the edge.
serve('worker', () => loadWorkerConfig()).catch(exitOnStartFailure);
