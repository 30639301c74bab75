import { ConfigError, loadConfig, type AppConfig } from '@ledgerline/config';
import { openEventStore } from '@ledgerline/event-store';
import { createProgressPrinter, openReadDb, ProjectionRunner, rebuildProjections, type Projector } from '@ledgerline/projections';
import { VerificationJobStore } from './contexts/audit/verifications/verification-job.store';
import { openDataKeyStore } from './platform/crypto/data-key-store.factory';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { allProjectors } from './platform/projections/projectors';

const USAGE = `usage: projections-cli rebuild | migrate

  rebuild   drop every read model and replay the event log into it (stop the workers first)
  migrate   create (or version-bump) every read model, the data-key and verification-job tables without replaying,
            as the database owner role; runtime instances then run with READ_DB_MIGRATE=off
`;

export interface ProjectionsCliIo {
  /** The environment to configure from; defaults to the process's (through loadConfig). */
  env?: Record<string, string | undefined>;
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** The read models to rebuild; defaults to the API's `allProjectors`. */
  projectors?: (config: AppConfig) => Projector[];
  /** Time between progress lines when stderr is not a terminal. Default 5000 ms. */
  progressIntervalMs?: number;
}

/** Same rule as the API: EVENTSTORE_URL, else the embedded SQLite file under DATA_DIR. */
function eventStoreUrl(config: AppConfig): string {
  if (config.eventStoreUrl !== undefined) return config.eventStoreUrl;
  mkdirSync(config.dataDir, { recursive: true });
  return `sqlite:${path.resolve(config.dataDir, 'events.sqlite')}`;
}

/** Runs one CLI command and returns the exit code (0 done, 1 failed or misused). */
export async function runProjectionsCli(argv: string[], io: ProjectionsCliIo): Promise<number> {
  const [command, ...rest] = argv;
  if ((command !== 'rebuild' && command !== 'migrate') || rest.length > 0) {
    io.stderr.write(USAGE);
    return 1;
  }
  let config: AppConfig;
  try {
    config = io.env ? loadConfig(io.env) : loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`projections: invalid configuration: ${error.message}\n`);
    return 1;
  }
  const projectors = (io.projectors ?? ((c) => allProjectors({ config: c })))(config);
  if (command === 'migrate') return migrate(config, projectors, io);
  const store = await openEventStore(eventStoreUrl(config));
  try {
    const db = await openReadDb(config.readDbUrl, config.dataDir);
    try {
      const names = projectors.map((p) => `${p.name} v${p.version}`).join(', ') || 'none';
      io.stderr.write(`projections: rebuilding ${projectors.length} read model(s): ${names}\n`);
      const printer = createProgressPrinter(io.stderr, { tty: io.stderr.isTTY === true, intervalMs: io.progressIntervalMs });
      const started = Date.now();
      try {
        const result = await rebuildProjections(store, db, projectors, { onProgress: (p) => printer.update(p) });
        printer.finish();
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        io.stderr.write(`projections: rebuilt from ${result.events} events up to position ${result.position ?? 'none'} in ${seconds} s\n`);
        return 0;
      } catch (error) {
        printer.finish();
        // Every committed batch kept its checkpoint: started runners continue from there.
        io.stderr.write(`projections: rebuild failed: ${error instanceof Error ? error.message : String(error)}\n`);
        return 1;
      }
    } finally {
      await db.close();
    }
  } finally {
    await store.close();
  }
}

/** The owner role's migration: every read model at its projector's version, and the key table. */
async function migrate(config: AppConfig, projectors: Projector[], io: ProjectionsCliIo): Promise<number> {
  const store = await openEventStore(eventStoreUrl(config));
  try {
    const db = await openReadDb(config.readDbUrl, config.dataDir);
    try {
      for (const projector of projectors) {
        await new ProjectionRunner(store, db, projector, { logger: quietLogger }).prepare();
      }
      const keys = await openDataKeyStore({ ...config, readDbMigrate: true });
      await keys.close();
      await VerificationJobStore.migrate(db);
      io.stderr.write(`projections: migrated ${projectors.length} read model(s), the data-key table and the verification-job table\n`);
      return 0;
    } catch (error) {
      io.stderr.write(`projections: migrate failed: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    } finally {
      await db.close();
    }
  } finally {
    await store.close();
  }
}

const quietLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

if (require.main === module) {
  runProjectionsCli(process.argv.slice(2), { stderr: process.stderr }).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`\nprojections: failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
