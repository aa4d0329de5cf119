/**
 * The host's capability bounding set: no process, container or not, can
 * gain a capability outside it, so asking for one makes `capset` fail with a
 * bare EPERM. Read from `CapBnd` in `/proc/self/status`.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { ALL_CAPABILITIES } from './capabilities.js';
import { hostFact } from '../util/host-fact.js';

/** The names of the capabilities set in the hex mask `hex` (`CapBnd:` format). */
export function capabilitiesOfMask(hex: string): string[] {
  const mask = BigInt(`0x${hex.trim()}`);
  return ALL_CAPABILITIES.filter((_c, i) => ((mask >> BigInt(i)) & 1n) === 1n);
}

const selfBoundingSet = hostFact(() => readBoundingSet('/proc/self/status'));

/**
 * This process's bounding set, or `undefined` when `/proc` does not tell. The default file is
 * read at most once a second (it can only shrink; see {@link hostFact}).
 */
export function hostBoundingSet(statusFile = '/proc/self/status'): string[] | undefined {
  if (statusFile !== '/proc/self/status') return readBoundingSet(statusFile);
  return selfBoundingSet()?.slice();
}

function readBoundingSet(statusFile: string): string[] | undefined {
  try {
    const hex = /^CapBnd:\s*([0-9a-fA-F]+)$/m.exec(readFileSync(statusFile, 'utf8'))?.[1];
    return hex === undefined ? undefined : capabilitiesOfMask(hex);
  } catch {
    return undefined;
  }
}
