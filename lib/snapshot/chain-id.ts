/**
 * Chain IDs: the identity of a stack of layers, as the OCI image spec defines it.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { parseDigest, type Digest } from '../oci/digest.js';

/**
 * The chain ID of each prefix of `diffIds`: the first is the first diff_id,
 * then `sha256(previous + " " + diff_id)`.
 */
export function chainIds(diffIds: readonly string[]): Digest[] {
  const out: Digest[] = [];
  for (const d of diffIds) {
    parseDigest(d);
    const prev = out[out.length - 1];
    out.push(prev === undefined ? (d as Digest) : `sha256:${createHash('sha256').update(`${prev} ${d}`).digest('hex')}`);
  }
  return out;
}
