/**
 * `docker top CONTAINER [ps OPTIONS]`: runs the host's `ps` with the given
 * options and keeps the rows of the container's processes, as dockerd does
 * (`ps OPTIONS -q PIDS`, else plain `ps OPTIONS` when the options and `-q`
 * do not mix, then filtering on the `PID` column).
 *
 * @module
 */
import { execFile } from 'node:child_process';
import { ContainerError } from '../errors.js';
import { logger } from '../log.js';
import type { ContainerTop } from './inspect.js';

const debug = logger('container:top');

function ps(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('ps', [...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err === null) resolve(stdout);
      else reject(Object.assign(err, { stderr }));
    });
  });
}

/**
 * Splits `ps` output into titles and the rows whose `PID` column is one of
 * `pids`; words past the last title belong to the last column (the command).
 *
 * @throws {@link ContainerError} `ERR_CONTAINER_TOP` when the output has no `PID` column.
 */
export function parsePsOutput(output: string, pids: readonly number[]): ContainerTop {
  const lines = output.split('\n').filter((l) => l.trim() !== '');
  const titles = (lines[0] ?? '').trim().split(/\s+/).filter(Boolean);
  const at = titles.indexOf('PID');
  if (at < 0) throw new ContainerError('ERR_CONTAINER_TOP', "couldn't find PID field in ps output");
  const wanted = new Set(pids);
  const rows: string[][] = [];
  for (const line of lines.slice(1)) {
    const fields = line.trim().split(/\s+/);
    const pid = Number(fields[at]);
    if (!Number.isInteger(pid)) throw new ContainerError('ERR_CONTAINER_TOP', `unexpected pid ${JSON.stringify(fields[at] ?? '')} in ps output`);
    if (!wanted.has(pid)) continue;
    rows.push([...fields.slice(0, titles.length - 1), fields.slice(titles.length - 1).join(' ')]);
  }
  return { Titles: titles, Processes: rows };
}

/**
 * The container's processes `pids` (host pids) as `ps psArgs` shows them.
 *
 * @throws {@link ContainerError} `ERR_CONTAINER_TOP` when `ps` fails (bad options, no `ps`) or prints no `PID` column.
 */
export async function psTop(pids: readonly number[], psArgs: readonly string[]): Promise<ContainerTop> {
  let output: string;
  try {
    output = await ps([...psArgs, '-q', pids.join(',')]);
  } catch (first) {
    debug('ps %o with -q failed (%s); retrying without', psArgs, (first as Error).message);
    try {
      output = await ps(psArgs);
    } catch (err) {
      const stderr = String((err as { stderr?: unknown }).stderr ?? '').trim();
      throw new ContainerError('ERR_CONTAINER_TOP', `ps ${psArgs.join(' ')}: ${stderr !== '' ? stderr : (err as Error).message}`, { cause: err });
    }
  }
  return parsePsOutput(output, pids);
}
