/**
 * A reader that goes away (`ocikit logs web | head -1`) ends the command quietly, as it ends
 * Docker's CLI: a write to a closed stdout or stderr exits the process at once with status 0
 * instead of an EPIPE stack trace. Other stream errors stay fatal.
 *
 * @module
 */
import { logger } from '../log.js';

const log = logger('cli');
const installed = new WeakSet<NodeJS.WriteStream>();

/** Makes EPIPE on `streams` (default the process's stdout and stderr) end the process quietly. */
export function exitQuietlyOnEpipe(streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const s of streams) {
    if (installed.has(s)) continue;
    installed.add(s);
    s.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      log('%s closed by its reader: exiting', s === process.stderr ? 'stderr' : 'stdout');
      process.exit(0);
    });
  }
}
