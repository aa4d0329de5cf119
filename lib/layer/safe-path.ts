/**
 * Path handling for unpacking: entry names are cleaned lexically, and paths are
 * resolved component by component under a root, with symlinks met on the way
 * resolved as if the root were `/`. Nothing here ever follows a symlink out of
 * the root.
 *
 * @module
 */
import { lstatSync, readlinkSync } from 'node:fs';
import { LayerError, OcikitError } from '../errors.js';

/** Largest name of one path component, in bytes (Linux NAME_MAX). */
export const NAME_MAX = 255;
/** Largest in-root path, in bytes (Linux PATH_MAX). */
export const PATH_MAX = 4096;
/** Symlinks followed while resolving one path before giving up (Linux MAXSYMLINKS). */
const MAX_SYMLINKS = 40;

/**
 * Cleans a tar entry name into in-root components. Leading `/` and `.`
 * components are dropped; `..` may only go back over a component of the same
 * name. A name that climbs above the root is refused.
 *
 * @throws LayerError `ERR_LAYER_PATH_ESCAPE`, `ERR_LAYER_NAME_TOO_LONG`, `ERR_LAYER_PATH_EMPTY`.
 */
export function entryComponents(name: string): string[] {
  if (name.includes('\0')) throw new LayerError('ERR_LAYER_PATH_INVALID', 'entry name contains NUL', { entry: name });
  if (Buffer.byteLength(name) > PATH_MAX) {
    throw new LayerError('ERR_LAYER_NAME_TOO_LONG', `entry name longer than ${PATH_MAX} bytes`, { entry: name.slice(0, 200) });
  }
  const out: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) throw new LayerError('ERR_LAYER_PATH_ESCAPE', 'entry name leaves the root', { entry: name });
      out.pop();
      continue;
    }
    if (Buffer.byteLength(part) > NAME_MAX) {
      throw new LayerError('ERR_LAYER_NAME_TOO_LONG', `path component longer than ${NAME_MAX} bytes`, { entry: name.slice(0, 200) });
    }
    out.push(part);
  }
  return out;
}

/**
 * Resolves in-root components to a host path under `root`: every component but
 * the last is looked up with lstat, and a symlink among them is replaced by its
 * target read relative to the root (absolute targets start at the root; `..`
 * stops at the root). The last component is never followed.
 *
 * `dirCache` holds in-root paths already known to be real directories; callers
 * must drop entries they replace.
 *
 * @returns the in-root components of the resolved path (the host path is `root + '/' + parts.join('/')`).
 * @throws LayerError `ERR_LAYER_SYMLINK_LOOP` when more than 40 links are met,
 *   `ERR_LAYER_PATH_NOT_DIR` when a parent exists and is not a directory.
 */
export function resolveParents(root: string, parts: readonly string[], dirCache?: Set<string>, entry?: string): string[] {
  if (parts.length === 0) return [];
  // Fast path: a cached parent implies all its ancestors are real directories
  // (callers forget a path's descendants whenever they replace it).
  if (dirCache !== undefined && parts.length > 1 && dirCache.has(parts.slice(0, -1).join('/'))) {
    return checkLength(root, parts.slice(), entry);
  }
  const pending = parts.slice(0, -1).reverse();
  const last = parts[parts.length - 1] as string;
  const done: string[] = [];
  let links = 0;
  // In-root path of `done`, kept incrementally; undefined when it must be rebuilt.
  let rel0: string | undefined = '';
  while (pending.length > 0) {
    const part = pending.pop() as string;
    if (part === '.' || part === '') continue;
    if (part === '..') {
      done.pop();
      rel0 = undefined;
      continue;
    }
    if (rel0 === '') rel0 = undefined;
    done.push(part);
    const rel: string = rel0 === undefined ? done.join('/') : `${rel0}/${part}`;
    rel0 = rel;
    if (dirCache?.has(rel)) continue;
    let st;
    try {
      st = lstatSync(`${root}/${rel}`, { throwIfNoEntry: false });
    } catch (cause) {
      throw wrapFsError(cause, entry ?? rel);
    }
    if (st === undefined) {
      // Missing: the rest stays lexical; the caller creates the directories.
      for (let p = pending.pop(); p !== undefined; p = pending.pop()) {
        if (p === '..') done.pop();
        else if (p !== '.' && p !== '') done.push(p);
      }
      break;
    }
    if (st.isSymbolicLink()) {
      if (++links > MAX_SYMLINKS) throw new LayerError('ERR_LAYER_SYMLINK_LOOP', 'too many symlinks in path', { entry: entry ?? rel });
      const target = readlinkSync(`${root}/${rel}`);
      done.pop();
      rel0 = undefined;
      if (target.startsWith('/')) done.length = 0;
      const tparts = target.split('/');
      for (let i = tparts.length - 1; i >= 0; i--) pending.push(tparts[i] as string);
      continue;
    }
    if (!st.isDirectory()) {
      throw new LayerError('ERR_LAYER_PATH_NOT_DIR', `parent ${JSON.stringify(rel)} is not a directory`, { entry: entry ?? rel });
    }
    dirCache?.add(rel);
  }
  done.push(last);
  return checkLength(root, done, entry);
}

function checkLength(root: string, done: string[], entry: string | undefined): string[] {
  let len = Buffer.byteLength(root) + 1;
  for (const p of done) len += Buffer.byteLength(p) + 1;
  if (len >= PATH_MAX) {
    throw new LayerError('ERR_LAYER_NAME_TOO_LONG', `resolved path longer than ${PATH_MAX} bytes`, { entry: (entry ?? done.join('/')).slice(0, 200) });
  }
  return done;
}

/** Turns a Node fs error into a {@link LayerError} naming the entry; ocikit errors pass through. */
export function wrapFsError(cause: unknown, entry: string, what = 'cannot apply entry'): OcikitError {
  if (cause instanceof OcikitError) return cause;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENAMETOOLONG') return new LayerError('ERR_LAYER_NAME_TOO_LONG', 'path too long', { entry: entry.slice(0, 200), cause });
  const message = cause instanceof Error ? cause.message : String(cause);
  return new LayerError('ERR_LAYER_WRITE', `${what}: ${message}`, { entry: entry.slice(0, 200), cause });
}
