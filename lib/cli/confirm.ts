/**
 * Docker's `[y/N]` prompt: a warning, one line read from standard input, and
 * yes only for `y` or `Y`. End of input (a closed or empty stdin) is a no.
 *
 * @module
 */
import type { CliIo } from './command.js';

/** Reads one line of `stdin` (without its line ending); `''` at end of input. */
export function readLine(stdin: CliIo['stdin']): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const finish = (line: string): void => {
      stdin.removeListener('data', onData);
      stdin.removeListener('end', onEnd);
      stdin.removeListener('error', onError);
      stdin.pause();
      // A pipe left open by the caller must not keep the process alive once answered.
      (stdin as { unref?: () => void }).unref?.();
      resolve(line.replace(/\r$/, ''));
    };
    const onData = (chunk: Buffer | string): void => {
      buffered += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      const nl = buffered.indexOf('\n');
      if (nl >= 0) finish(buffered.slice(0, nl));
    };
    const onEnd = (): void => finish(buffered);
    const onError = (err: Error): void => {
      stdin.removeListener('data', onData);
      stdin.removeListener('end', onEnd);
      reject(err);
    };
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    stdin.once('error', onError);
    stdin.resume();
  });
}

/**
 * Writes `warning` and `Are you sure you want to continue? [y/N] ` to stdout
 * and resolves to whether the answer was `y`/`Y` (surrounding blanks ignored).
 */
export async function confirm(io: CliIo, warning: string): Promise<boolean> {
  io.stdout.write(`${warning}\nAre you sure you want to continue? [y/N] `);
  const answer = (await readLine(io.stdin)).trim();
  return answer === 'y' || answer === 'Y';
}
