/**
 * Declarative descriptions of verbs and their flags. One spec drives both the
 * argument parser and the `--help` text, so the two cannot drift apart.
 *
 * @module
 */

/** How a flag's value is read. */
export type FlagType = 'bool' | 'string' | 'list' | 'number' | 'bytes';

/** One flag of a verb. */
export interface FlagSpec {
  /** Long name without dashes, such as `memory`. */
  readonly name: string;
  /** One-letter short form without the dash, such as `m`. */
  readonly short?: string;
  /** Value type; `list` flags may be repeated and collect every value. */
  readonly type: FlagType;
  /** One line for the options table. */
  readonly description: string;
  /** Placeholder shown in help after the flag, such as `bytes` or `list`. */
  readonly placeholder?: string;
  /** Other long names accepted for this flag (such as `env` for `e`). */
  readonly aliases?: readonly string[];
  /** Default shown in help (display only). */
  readonly defaultText?: string;
}

/** One verb (`pull`) or sub-verb (`volume create`). */
export interface VerbSpec {
  /** Name as typed, such as `pull` or `volume create`. */
  readonly name: string;
  /** Arguments part of the usage line, such as `[OPTIONS] NAME[:TAG|@DIGEST]`. */
  readonly usage: string;
  /** One-line description. */
  readonly description: string;
  /** Accepted flags; `--help` is always accepted in addition. */
  readonly flags: readonly FlagSpec[];
  /**
   * Stop reading flags after this many positionals: `run IMAGE CMD -x` leaves
   * `-x` to the command when this is 1. Unset: flags may appear anywhere.
   */
  readonly stopAfterPositionals?: number;
  /** Smallest number of positionals. */
  readonly minArgs?: number;
  /** Largest number of positionals; unset means unbounded. */
  readonly maxArgs?: number;
  /** Other names of the verb, such as `ls` for `list`. */
  readonly aliases?: readonly string[];
}

/** The value a parsed flag holds. */
export type FlagValue = boolean | string | number | string[];

/** The result of parsing one verb's arguments. */
export interface ParsedArgs {
  /** Values by long flag name; only flags that were given appear. */
  readonly flags: Readonly<Record<string, FlagValue>>;
  /** Positional arguments in order (including everything after `--` or after the stop point). */
  readonly positionals: readonly string[];
  /** Whether `--help` (or `-h` where `h` is no other flag) was given. */
  readonly help: boolean;
}

/** Reads a boolean flag (false when absent). */
export function flagBool(args: ParsedArgs, name: string): boolean {
  return args.flags[name] === true;
}

/** Reads a string flag (undefined when absent). */
export function flagString(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : undefined;
}

/** Reads a number or bytes flag (undefined when absent). */
export function flagNumber(args: ParsedArgs, name: string): number | undefined {
  const v = args.flags[name];
  return typeof v === 'number' ? v : undefined;
}

/** Reads a list flag (empty when absent). */
export function flagList(args: ParsedArgs, name: string): string[] {
  const v = args.flags[name];
  return Array.isArray(v) ? v : [];
}
