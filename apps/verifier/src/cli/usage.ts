/** The help text (`ledgerline-verify --help`, and after a usage error). */
export const USAGE = `Usage: ledgerline-verify <command> [options]

Commands:
  bundle <file|->              Verify a SPEC §5 evidence bundle (NDJSON), streamed in constant memory.
      --log-key <vkey|file>    Pin the checkpoint verifier key (else the bundle's own, self-asserted).
      --jwks <file>            Pin the event-signing JWKS (else the bundle's own, self-asserted).

  verify-store                 Verify a whole event store: every envelope, chain, checkpoint and the
                               Merkle tree rebuilt from the log.
      --events <file|esdb://…> The embedded SQLite file (opened read-only) or an EventStoreDB URL.
      --jwks <file>            The event-signing JWKS (GET /.well-known/jwks.json), required.
      --log-key <vkey|file>    The checkpoint verifier key (GET /v1/audit/log-key), required.
      --since <note file>      A checkpoint note saved earlier: the store must still extend it.
      --fast                   Skip the Ed25519 check of event signatures (hashes, chains, tree and
                               checkpoint notes are still checked).
      --workers <n>            Verify threads (default: one per core).
      --slice-size <n>         Events per task handed to a verify thread (default 1024).

  consistency                  Check an RFC 9162 consistency proof between two checkpoints.
      --old <note file>        The older signed checkpoint.
      --new <note file>        The newer signed checkpoint.
      --proof <b64,…|file>     The proof hashes, comma- or newline-separated, or a file holding them.
      --log-key <vkey|file>    The checkpoint verifier key, required.

Every command:
  --json                       Print a machine-readable report on stdout.
  --help                       Show this text.

Exit status: 0 valid, 1 invalid (the first failure on stderr, with its stream, revision and position
or its line), 2 usage error (unknown command or option, unreadable file or store), 3 the check could
not finish (the store failed while being read, or an internal error): neither valid nor invalid.
`;
