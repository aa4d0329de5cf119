/**
 * `ocikit logs`: a container's log, its stdout lines on stdout and its stderr lines on stderr
 * (as `docker logs` splits them), `--since`/`--until` as Docker reads them.
 *
 * @module
 */
import { Container } from '../../container/container.js';
import { CliError } from '../../errors.js';
import type { VerbHandler } from '../command.js';
import { parseLogTime } from '../log-time.js';
import { flagBool, flagString } from '../spec.js';

/** The `logs` verb. */
export const logsVerb: VerbHandler = async (args, io) => {
  const c = await Container.get(args.positionals[0] as string);
  const tailText = flagString(args, 'tail');
  const tail = tailText === undefined || tailText === 'all' ? undefined : Number(tailText);
  if (tail !== undefined && (!Number.isInteger(tail) || tail < 0)) throw new CliError(`invalid value for --tail: ${tailText}`, { code: 'ERR_CLI_BAD_VALUE', verb: 'logs' });
  const sinceText = flagString(args, 'since');
  const untilText = flagString(args, 'until');
  const since = sinceText !== undefined ? parseLogTime(sinceText, 'since', 'logs') : undefined;
  const until = untilText !== undefined ? parseLogTime(untilText, 'until', 'logs') : undefined;
  const lines = c.logEntries({
    follow: flagBool(args, 'follow'),
    timestamps: flagBool(args, 'timestamps'),
    ...(tail !== undefined ? { tail } : {}),
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
  });
  for await (const line of lines) (line.stream === 'stderr' ? io.stderr : io.stdout).write(line.text);
  return 0;
};
