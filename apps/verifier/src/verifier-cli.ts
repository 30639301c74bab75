import type { CliIo } from './cli/cli-io';
import { USAGE } from './cli/usage';
import { UsageError } from './cli/usage-error';
import { bundleCommand } from './commands/bundle.command';
import { consistencyCommand } from './commands/consistency.command';
import { verifyStoreCommand } from './commands/verify-store.command';

const COMMANDS: Record<string, (args: readonly string[], io: CliIo) => Promise<number>> = {
  bundle: bundleCommand,
  'verify-store': verifyStoreCommand,
  consistency: consistencyCommand,
};

/** Runs one `ledgerline-verify` command line; resolves with the exit code (0 valid, 1 invalid, 2 usage error). */
export async function runVerifierCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? io.stderr : io.stdout)(USAGE);
    return command === undefined ? 2 : 0;
  }
  const handler = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  try {
    if (!handler) throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    if (args.includes('--help')) {
      io.stdout(USAGE);
      return 0;
    }
    return await handler(args, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    // The whole text when the command itself is wrong; a pointer to it otherwise.
    io.stderr(`ledgerline-verify: ${error.message}\n${handler ? 'Run ledgerline-verify --help for the options.\n' : `\n${USAGE}`}`);
    return 2;
  }
}
