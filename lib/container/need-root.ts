/**
 * Containers need root until rootless mode exists: namespaces, mounts and
 * cgroups all fail for another user, and late (after state is on disk) with a
 * bare EACCES. This check refuses first, naming the reason.
 *
 * @module
 */
import { RootRequiredError } from '../errors.js';

/**
 * Throws unless the process runs as root (effective uid 0).
 *
 * @throws {@link RootRequiredError} `ERR_ROOT_REQUIRED`.
 */
export function requireRoot(operation: string): void {
  if (process.geteuid?.() !== 0) throw new RootRequiredError(operation);
}
