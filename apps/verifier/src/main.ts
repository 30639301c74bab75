#!/usr/bin/env node
import { processIo } from './cli/cli-io';
import { runVerifierCli } from './verifier-cli';

runVerifierCli(process.argv.slice(2), processIo).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Not a verdict: the verifier itself broke (I/O, a bug). Never report such a run as valid or invalid.
    process.stderr.write(`ledgerline-verify: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 3;
  },
);
