import { execFileSync } from 'node:child_process';

/** The path of `command` as the shell finds it, or undefined when it is not installed. */
export function commandOnPath(command: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}
