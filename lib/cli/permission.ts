/**
 * A user who is not root meets permission errors ocikit cannot work around
 * yet; the command line names the reason (no rootless mode) instead of
 * printing a bare EACCES.
 *
 * @module
 */
import { RootRequiredError } from '../errors.js';

const DENIED = new Set(['EACCES', 'EPERM']);

/** Whether `err`, or an error in its `cause` chain, is a system permission error. */
function permissionDenied(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && DENIED.has(code)) return true;
  }
  return false;
}

/**
 * `err` as the command line should report it: for a user who is not root, a
 * permission error becomes a {@link RootRequiredError} whose message keeps the
 * original one (`ocikit needs root (…): EACCES: permission denied, mkdir …`).
 */
export function explainPermission(err: unknown, euid: number | undefined = process.geteuid?.()): unknown {
  if (euid === 0 || err instanceof RootRequiredError || !permissionDenied(err)) return err;
  const wrapped = new RootRequiredError(undefined, { cause: err });
  Object.defineProperty(wrapped, 'message', { value: `${wrapped.message}: ${err instanceof Error ? err.message : String(err)}` });
  return wrapped;
}

/** Verbs refused up front for a user who is not root, before they pull an image or create directories. */
const ROOT_VERBS = new Set(['run', 'create']);

/**
 * Refuses `verb` for a user who is not root when it can only fail later.
 *
 * @throws {@link RootRequiredError} `ERR_ROOT_REQUIRED`.
 */
export function refuseWithoutRoot(verb: string, euid: number | undefined = process.geteuid?.()): void {
  if (euid !== 0 && ROOT_VERBS.has(verb)) throw new RootRequiredError(verb);
}
