/**
 * What a verb implementation sees: its parsed arguments and the process's
 * standard streams, injectable so tests can capture output.
 *
 * @module
 */
import { exitQuietlyOnEpipe } from './epipe.js';
import type { ParsedArgs, VerbSpec } from './spec.js';

/** A writable text stream; `isTTY` decides whether progress is redrawn in place. */
export interface TextOutput {
  write(chunk: string | Uint8Array): unknown;
  readonly isTTY?: boolean;
}

/** The streams and environment a command runs with. */
export interface CliIo {
  readonly stdout: TextOutput;
  readonly stderr: TextOutput;
  /** Standard input, for `--password-stdin` and attached containers. */
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /** Environment (for `-e K` without a value and OCIKIT_ROOT). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Runs one verb; resolves to the process exit code. */
export type VerbHandler = (args: ParsedArgs, io: CliIo) => Promise<number>;

/** A verb: its spec (flags, usage, help) and its implementation. */
export interface Command {
  readonly spec: VerbSpec;
  /** Missing when this build cannot run the verb (it then exits 125 and says so). */
  readonly run?: VerbHandler;
  /** A management command (`volume`): its `run` prints its sub-verbs, also for `--help`. */
  readonly group?: boolean;
}

/** Exit codes of the `ocikit` command, the same as Docker's. */
export const ExitCode = {
  /** Success. */
  OK: 0,
  /** ocikit itself failed: bad usage, missing image, registry error … */
  ERROR: 125,
  /** The container's command was found but cannot be invoked. */
  CANNOT_INVOKE: 126,
  /** The container's command was not found. */
  NOT_FOUND: 127,
} as const;

/** The `io` of the running process; a reader closing stdout or stderr ends it quietly (EPIPE). */
export function processIo(): CliIo {
  exitQuietlyOnEpipe();
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}
