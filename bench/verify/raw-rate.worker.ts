import { parentPort, workerData } from 'node:worker_threads';
import { ed25519VerifyRate } from './raw-rates';

parentPort?.postMessage(ed25519VerifyRate((workerData as { seconds: number }).seconds));
