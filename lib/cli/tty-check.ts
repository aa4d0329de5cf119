/**
 * Docker's check before attaching a terminal: `-t` with stdin attached needs
 * stdin to be a terminal, else the session would hang on a pipe.
 *
 * @module
 */
import type { CliIo } from './command.js';

/** Docker's wording when `-it` is given but stdin is a pipe or a file. */
export const NOT_A_TTY = 'the input device is not a TTY';

/** Docker's exit code for {@link NOT_A_TTY} (its CLI's plain error code, not 125). */
export const NOT_A_TTY_EXIT = 1;

/**
 * Returns Docker's exit code and writes its message when `tty` and
 * `attachStdin` are both set and `io.stdin` is not a terminal; else undefined.
 */
export function refuseNonTty(io: CliIo, attachStdin: boolean, tty: boolean): number | undefined {
  if (!tty || !attachStdin || io.stdin.isTTY === true) return undefined;
  io.stderr.write(`${NOT_A_TTY}\n`);
  return NOT_A_TTY_EXIT;
}
