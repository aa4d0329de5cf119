/**
 * Signal names and numbers as `docker kill -s` and `--stop-signal` take them.
 *
 * @module
 */
import { constants } from 'node:os';
import { ContainerError } from '../errors.js';

/**
 * `SIGTERM`, `TERM`, `term`, `15` or `15` as a number → `SIGTERM`.
 *
 * @throws ContainerError `ERR_INVALID_SIGNAL` for a name or number that is not a signal of this host.
 */
export function signalName(signal: string | number): NodeJS.Signals {
  const all = constants.signals as Record<string, number>;
  if (typeof signal === 'number' || (typeof signal === 'string' && /^\d+$/.test(signal))) {
    const n = Number(signal);
    const name = Object.keys(all).find((k) => all[k] === n);
    if (name !== undefined) return name as NodeJS.Signals;
  } else if (typeof signal === 'string' && signal !== '') {
    const upper = signal.toUpperCase();
    const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
    if (Object.hasOwn(all, name)) return name as NodeJS.Signals;
  }
  throw new ContainerError('ERR_INVALID_SIGNAL', `invalid signal ${JSON.stringify(signal) ?? String(signal)}: not a signal name or number of this host`);
}
