import { flagValue, parseArgs, type FlagSpec } from './parse-args';
import { UsageError } from './usage-error';

const specs: FlagSpec[] = [
  { name: 'events', value: true, required: true },
  { name: 'fast', value: false },
];

describe('parseArgs', () => {
  it('reads value flags (spaced or with =), boolean flags, positionals and stdin', () => {
    const parsed = parseArgs(['-', '--events', 'a.sqlite', '--fast'], specs, 'x');
    expect(parsed.positionals).toEqual(['-']);
    expect(flagValue(parsed, 'events')).toBe('a.sqlite');
    expect(parsed.flags.get('fast')).toBe(true);
    expect(flagValue(parseArgs(['--events=b=c'], specs, 'x'), 'events')).toBe('b=c');
  });

  it.each([
    ['an unknown flag', ['--events', 'a', '--quick'], 'unknown option --quick'],
    ['an unknown short flag', ['--events', 'a', '-q'], 'unknown option -q'],
    ['a flag given twice', ['--events', 'a', '--events', 'b'], '--events is given twice'],
    ['a missing value', ['--events'], '--events needs a value'],
    ['a flag where the value should be', ['--events', '--fast'], '--events needs a value'],
    ['a value on a boolean flag', ['--events', 'a', '--fast=yes'], '--fast takes no value'],
    ['a missing required flag', ['--fast'], '--events is required'],
  ])('refuses %s', (_label, args, message) => {
    expect(() => parseArgs(args, specs, 'x')).toThrow(UsageError);
    expect(() => parseArgs(args, specs, 'x')).toThrow(message);
  });
});
