import { CliError } from '../../../lib/errors.js';
import { parseBytes } from '../../../lib/cli/bytes.js';
import { parseArgs } from '../../../lib/cli/parser.js';
import type { VerbSpec } from '../../../lib/cli/spec.js';

const run: VerbSpec = {
  name: 'run',
  usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  description: 'Run',
  flags: [
    { name: 'interactive', short: 'i', type: 'bool', description: 'i' },
    { name: 'tty', short: 't', type: 'bool', description: 't' },
    { name: 'detach', short: 'd', type: 'bool', description: 'd' },
    { name: 'env', short: 'e', type: 'list', description: 'e', aliases: ['environment'] },
    { name: 'name', type: 'string', description: 'n' },
    { name: 'memory', short: 'm', type: 'bytes', description: 'm' },
    { name: 'cpus', type: 'number', description: 'c' },
  ],
  stopAfterPositionals: 1,
  minArgs: 1,
};
const ls: VerbSpec = { name: 'ls', usage: '', description: 'ls', flags: [{ name: 'quiet', short: 'q', type: 'bool', description: 'q' }], maxArgs: 0 };
const pull: VerbSpec = { name: 'pull', usage: 'NAME', description: 'pull', flags: [], minArgs: 1, maxArgs: 1 };
const rm: VerbSpec = { name: 'rm', usage: 'X...', description: 'rm', flags: [{ name: 'force', short: 'f', type: 'bool', description: 'f' }] };

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    return (err as CliError).code;
  }
  throw new Error('did not throw');
}

describe('parseArgs', () => {
  it('reads combined short flags', () => {
    expect(parseArgs(run, ['-itd', 'busybox']).flags).toEqual({ interactive: true, tty: true, detach: true });
  });

  it('collects repeated list flags in order, in every spelling', () => {
    const a = parseArgs(run, ['-e', 'A=1', '--env=B=2', '-eC=3', '--environment', 'D', '-e=E=5', 'img']);
    expect(a.flags['env']).toEqual(['A=1', 'B=2', 'C=3', 'D', 'E=5']);
    expect(a.positionals).toEqual(['img']);
  });

  it('takes a value glued to the last short flag of a group', () => {
    expect(parseArgs(run, ['-im512m', 'x']).flags).toEqual({ interactive: true, memory: 512 * 2 ** 20 });
  });

  it('passes flags after the image to the command', () => {
    const a = parseArgs(run, ['-i', 'busybox', 'ls', '-la', '--name', 'x']);
    expect(a.positionals).toEqual(['busybox', 'ls', '-la', '--name', 'x']);
    expect(a.flags).toEqual({ interactive: true });
  });

  it('stops at --', () => {
    expect(parseArgs(rm, ['-f', '--', '-weird', 'b']).positionals).toEqual(['-weird', 'b']);
  });

  it('accepts flags after positionals when the verb does not stop', () => {
    expect(parseArgs(rm, ['a', '-f', 'b']).flags).toEqual({ force: true });
  });

  it('reads --bool=false and -t=false', () => {
    expect(parseArgs(run, ['--tty=false', '-i=false', 'x']).flags).toEqual({ tty: false, interactive: false });
  });

  it('parses numbers and bytes', () => {
    expect(parseArgs(run, ['--cpus', '1.5', '--memory=1g', 'x']).flags).toEqual({ cpus: 1.5, memory: 2 ** 30 });
  });

  it('treats a lone - as a positional', () => {
    expect(parseArgs(rm, ['-']).positionals).toEqual(['-']);
  });

  it('recognises --help and -h when h is no other flag', () => {
    expect(parseArgs(ls, ['--help']).help).toBe(true);
    expect(parseArgs(ls, ['-qh']).help).toBe(true);
    expect(parseArgs(pull, ['--help']).help).toBe(true); // no argument-count error with --help
  });

  it.each([
    [['--nope', 'x'], 'ERR_CLI_UNKNOWN_FLAG'],
    [['-z', 'x'], 'ERR_CLI_UNKNOWN_FLAG'],
    [['--name'], 'ERR_CLI_MISSING_VALUE'],
    [['-e'], 'ERR_CLI_MISSING_VALUE'],
    [['--cpus', 'lots', 'x'], 'ERR_CLI_BAD_VALUE'],
    [['--memory', '12q', 'x'], 'ERR_CLI_BAD_VALUE'],
    [['--tty=maybe', 'x'], 'ERR_CLI_BAD_VALUE'],
    [[], 'ERR_CLI_ARGS'],
  ])('rejects %j with %s', (argv, expected) => {
    expect(code(() => parseArgs(run, argv))).toBe(expected);
  });

  it('words errors as Docker does', () => {
    expect(() => parseArgs(run, ['--x'])).toThrow('unknown flag: --x');
    expect(() => parseArgs(run, ['-z'])).toThrow("unknown shorthand flag: 'z' in -z");
    expect(() => parseArgs(pull, [])).toThrow('"ocikit pull" requires exactly 1 argument.');
    expect(() => parseArgs(ls, ['a'])).toThrow('"ocikit ls" accepts no arguments.');
    expect(() => parseArgs(run, ['--cpus', 'x'])).toThrow('invalid argument "x" for "--cpus" flag');
  });
});

describe('parseBytes', () => {
  it.each([
    ['0', 0],
    ['2048', 2048],
    ['100b', 100],
    ['1k', 1024],
    ['512m', 512 * 2 ** 20],
    ['512MB', 512 * 2 ** 20],
    ['1g', 2 ** 30],
    ['1.5G', 1.5 * 2 ** 30],
    ['2GiB', 2 * 2 ** 30],
    ['1t', 2 ** 40],
  ])('%s is %d bytes', (text, bytes) => {
    expect(parseBytes(text)).toBe(bytes);
  });

  it.each(['', 'm', '-1', '1x', '1.2.3m', 'lots'])('rejects %j', (text) => {
    expect(() => parseBytes(text)).toThrow(CliError);
  });
});
