#!/usr/bin/env node
import { createPrivateKey } from 'node:crypto';
import path from 'node:path';
import { encodeCosignerKey, loadOrCreateKeyFile } from '@ledgerline/integrity';
import { ConfigError, loadWitnessConfig } from '@ledgerline/config';
import { parseLogKeys } from './config/witness-config';
import { createWitnessServer } from './http/witness-server';
import { WitnessStateStore } from './state/witness-state.store';

/** One JSON line per log record: no key material, no request bodies. */
function log(level: 'info' | 'warn' | 'error', message: string, meta: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ level, message, context: 'witness', time: new Date().toISOString(), ...meta })}\n`);
}

/** `ledgerline-witness [vkey]`: serves c2sp.org/tlog-witness; `vkey` prints the cosigner vkey to pin and exits. */
function main(argv: readonly string[]): void {
  const config = loadWitnessConfig();
  const logKeys = parseLogKeys(config);
  const keyFile = config.keyFile ?? path.join(config.dataDir, 'witness-key.pem');
  const { pem, generated } = loadOrCreateKeyFile(keyFile);
  const privateKey = createPrivateKey(pem);
  const vkey = encodeCosignerKey(config.name, privateKey);
  if (argv[0] === 'vkey') {
    process.stdout.write(`${vkey}\n`);
    return;
  }
  if (argv.length > 0) throw new ConfigError('arguments', `not understood: ${argv.join(' ')} (usage: ledgerline-witness [vkey])`);
  if (generated) log('warn', 'GENERATED WITNESS KEY: development only; set WITNESS_KEY_FILE', { keyFile });
  const state = new WitnessStateStore(path.join(config.dataDir, 'witness.sqlite'));
  const origins = [...new Set(logKeys.map((key) => key.name))];
  const server = createWitnessServer({
    state,
    logKeys,
    origins,
    name: config.name,
    privateKey,
    crashPoint: config.crashPoint,
    onRefused: (origin, status, reason) => log('warn', 'checkpoint refused', { origin, status, reason }),
    onError: (error) => log('error', 'add-checkpoint failed', { error: (error as Error).message }),
  });
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    log('info', 'witness listening', { host: config.host, port, vkey, origins });
  });
  // Keep-alive connections would keep being served after close(): end them, giving requests in flight a moment.
  const stop = (): void => {
    server.close(() => {
      state.close();
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 1_000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`ledgerline-witness: ${(error as Error).message}\n`);
  process.exitCode = error instanceof ConfigError ? 2 : 1;
}
