import { parentPort, workerData } from 'node:worker_threads';
import { ed25519VerifyRate } from './raw-rates';

const { count, ...rate } = ed25519VerifyRate((workerData as { seconds: number }).seconds);
parentPort?.postMessage({ count, rate });
