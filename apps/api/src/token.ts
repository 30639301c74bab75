import { ConfigError, loadConfig } from '@ledgerline/config';
import { runTokenCli, TOKEN_CLI_USAGE, UsageError } from './contexts/access/authentication/token-cli';

/** `npm run token -- --user <id> [--mfa]`: prints a dev session token on stdout. */
function main(): number {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${TOKEN_CLI_USAGE}\n`);
    return 0;
  }
  try {
    process.stdout.write(`${runTokenCli(argv, loadConfig())}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`token: ${error.message}\n${TOKEN_CLI_USAGE}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`token: refusing: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`token: failed: ${error instanceof Error ? error.message : 'unknown error'}\n`);
    return 1;
  }
}

process.exitCode = main();
