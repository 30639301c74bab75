import { loadConfig } from '@ledgerline/config';
import { exitOnStartFailure, serve } from './server';

serve('api', () => loadConfig()).catch(exitOnStartFailure);
