/**
 * The argument parser: Docker's flag grammar (pflag-like) driven by a
 * {@link VerbSpec}. Supports `--flag=value`, `--flag value`, combined short
 * flags (`-it`, `-itd`), attached short values (`-eA=1`, `-m512m`), repeated
 * list flags, `--`, and stopping at the first positional after the image.
 *
 * @module
 */
import { CliError, type CliErrorCode } from '../errors.js';
import { parseBytes } from './bytes.js';
import type { FlagSpec, FlagValue, ParsedArgs, VerbSpec } from './spec.js';

/**
 * Parses `argv` (the words after the verb) against `spec`.
 *
 * @throws {@link CliError} `ERR_CLI_UNKNOWN_FLAG`, `ERR_CLI_MISSING_VALUE`,
 *   `ERR_CLI_BAD_VALUE` or `ERR_CLI_ARGS` (wrong number of arguments).
 */
export function parseArgs(spec: VerbSpec, argv: readonly string[]): ParsedArgs {
  const byLong = new Map<string, FlagSpec>();
  const byShort = new Map<string, FlagSpec>();
  for (const f of spec.flags) {
    byLong.set(f.name, f);
    for (const a of f.aliases ?? []) byLong.set(a, f);
    if (f.short !== undefined) byShort.set(f.short, f);
  }
  const flags: Record<string, FlagValue> = {};
  const positionals: string[] = [];
  let help = false;
  const fail = (message: string, code: CliErrorCode): never => {
    throw new CliError(message, { code, verb: spec.name });
  };
  const set = (f: FlagSpec, raw: string, shown: string): void => {
    flags[f.name] = convert(f, raw, shown, flags[f.name], fail);
  };

  let i = 0;
  while (i < argv.length) {
    const word = argv[i++] as string;
    const stopped = spec.stopAfterPositionals !== undefined && positionals.length >= spec.stopAfterPositionals;
    if (stopped || word === '-' || !word.startsWith('-')) {
      positionals.push(word);
      continue;
    }
    if (word === '--') {
      positionals.push(...argv.slice(i));
      break;
    }
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const name = eq < 0 ? word.slice(2) : word.slice(2, eq);
      const f = byLong.get(name);
      if (f === undefined) {
        if (name === 'help') {
          help = true;
          continue;
        }
        fail(`unknown flag: --${name}`, 'ERR_CLI_UNKNOWN_FLAG');
      } else if (eq >= 0) set(f, word.slice(eq + 1), `--${name}`);
      else if (f.type === 'bool') set(f, 'true', `--${name}`);
      else if (i < argv.length) set(f, argv[i++] as string, `--${name}`);
      else fail(`flag needs an argument: --${name}`, 'ERR_CLI_MISSING_VALUE');
      continue;
    }
    // One or more short flags: -i, -it, -eA=1, -m 512m, -t=false.
    for (let k = 1; k < word.length; k++) {
      const c = word[k] as string;
      const f = byShort.get(c);
      if (f === undefined) {
        if (c === 'h') {
          help = true;
          continue;
        }
        fail(`unknown shorthand flag: '${c}' in ${word}`, 'ERR_CLI_UNKNOWN_FLAG');
      } else if (f.type === 'bool') {
        if (word[k + 1] === '=') {
          set(f, word.slice(k + 2), `-${c}`);
          break;
        }
        set(f, 'true', `-${c}`);
      } else {
        let rest = word.slice(k + 1);
        if (rest.startsWith('=')) rest = rest.slice(1);
        if (rest !== '' || word[k + 1] === '=') set(f, rest, `-${c}`);
        else if (i < argv.length) set(f, argv[i++] as string, `-${c}`);
        else fail(`flag needs an argument: '${c}' in ${word}`, 'ERR_CLI_MISSING_VALUE');
        break;
      }
    }
  }
  if (!help) checkCount(spec, positionals.length, fail);
  return { flags, positionals, help };
}

function convert(
  f: FlagSpec,
  raw: string,
  shown: string,
  previous: FlagValue | undefined,
  fail: (message: string, code: CliErrorCode) => never,
): FlagValue {
  const bad = (why: string): never => fail(`invalid argument ${JSON.stringify(raw)} for "${shown}" flag: ${why}`, 'ERR_CLI_BAD_VALUE');
  switch (f.type) {
    case 'bool':
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      return bad('expected true or false');
    case 'string':
      return raw;
    case 'list':
      return [...(Array.isArray(previous) ? previous : []), raw];
    case 'number': {
      const n = raw.trim() === '' ? NaN : Number(raw);
      return Number.isFinite(n) ? n : bad('expected a number');
    }
    case 'bytes':
      try {
        return parseBytes(raw);
      } catch {
        return bad('expected a size such as 512m or 1g');
      }
  }
}

function checkCount(spec: VerbSpec, n: number, fail: (message: string, code: CliErrorCode) => never): void {
  const min = spec.minArgs ?? 0;
  const max = spec.maxArgs;
  const plural = (k: number): string => `${k} argument${k === 1 ? '' : 's'}`;
  const cmd = `"ocikit ${spec.name}"`;
  if (max === 0 && n > 0) fail(`${cmd} accepts no arguments.`, 'ERR_CLI_ARGS');
  if (max !== undefined && min === max && n !== min) {
    fail(`${cmd} requires exactly ${plural(min)}.`, 'ERR_CLI_ARGS');
  }
  if (n < min) fail(`${cmd} requires at least ${plural(min)}.`, 'ERR_CLI_ARGS');
  if (max !== undefined && n > max) {
    fail(`${cmd} requires at most ${plural(max)}.`, 'ERR_CLI_ARGS');
  }
}
