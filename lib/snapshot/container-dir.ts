/**
 * Where a container's writable state lives.
 *
 * @module
 */
import { OcikitError, SnapshotError } from '../errors.js';

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** Refuses container ids that are not safe directory names. */
export function validateContainerId(id: string): void {
  if (!ID.test(id)) throw new SnapshotError('ERR_SNAPSHOT_CONTAINER_ID', `invalid container id ${JSON.stringify(id)}`);
}

/** `<root>/containers/<id>`. */
export function containerDir(root: string, id: string): string {
  validateContainerId(id);
  return `${root}/containers/${id}`;
}

/** Rethrows a file system failure as a {@link SnapshotError}; ocikit errors pass through. */
export function snapshotFailure(err: unknown, what: string): OcikitError {
  if (err instanceof OcikitError) return err;
  return new SnapshotError('ERR_SNAPSHOT_IO', `${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}
