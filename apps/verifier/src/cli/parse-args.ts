import { UsageError } from './usage-error';

/** A flag a command accepts: `value` flags take the next argument (or `--flag=value`). */
export interface FlagSpec {
  name: string;
  value: boolean;
  required?: boolean;
  /** A value flag that may be given several times; its values are in `repeated`. */
  repeatable?: boolean;
}

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
  /** Every value of each repeatable flag, in order. */
  repeated: Map<string, string[]>;
}

/**
 * Parses a command's arguments strictly: unknown flags, a flag given twice, a missing value or a
 * missing required flag are usage errors. `-` alone is a positional (stdin).
 */
export function parseArgs(args: readonly string[], specs: readonly FlagSpec[], command: string): ParsedArgs {
  const known = new Map(specs.map((spec) => [spec.name, spec]));
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  const repeated = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      if (arg.startsWith('-') && arg !== '-') throw new UsageError(`${command}: unknown option ${arg}`);
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    const spec = known.get(name);
    if (!spec) throw new UsageError(`${command}: unknown option --${name}`);
    if (flags.has(name) && !spec.repeatable) throw new UsageError(`${command}: --${name} is given twice`);
    if (!spec.value) {
      if (eq >= 0) throw new UsageError(`${command}: --${name} takes no value`);
      flags.set(name, true);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw new UsageError(`${command}: --${name} needs a value`);
    flags.set(name, value);
    if (spec.repeatable) repeated.set(name, [...(repeated.get(name) ?? []), value]);
  }
  for (const spec of specs) {
    if (spec.required && !flags.has(spec.name)) throw new UsageError(`${command}: --${spec.name} is required`);
  }
  return { positionals, flags, repeated };
}

/** The value of a value flag, or undefined. */
export function flagValue(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.flags.get(name);
  return typeof value === 'string' ? value : undefined;
}
