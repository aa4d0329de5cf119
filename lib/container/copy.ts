/**
 * `docker cp`: tar streams into and out of a container. Paths are resolved
 * by the kernel inside the container's root at the time of each step
 * (openat2 `RESOLVE_IN_ROOT` from a directory fd of the root: symlinks are
 * followed as if the root were `/`), walks and writes go from directory fd to
 * directory fd, and nothing from the container is ever executed (SECURITY 14).
 * So a container that swaps a directory for a symlink during the copy, paused
 * or not, never leads it to the host (moby CVE-2018-15664).
 *
 * @module
 */
import { closeSync, fstatSync, lstatSync, readdirSync, type Stats } from 'node:fs';
import { basename, posix } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Parser, type ReadEntry } from 'tar';
import { ContainerError, LayerError, OcikitError } from '../errors.js';
import { tarOf, type LayerItem } from '../layer/diff-writer.js';
import { O_PATH, openInRoot } from '../native/at.js';
import { RootWriter, type TarSink } from './copy-writer.js';
import { isMissing, locate, openRootDir, statAt, walkAt, type Located } from './root-fd.js';
import { resolveInRootAt } from './rootfs-path.js';
import { openRootfs } from './rootfs-view.js';
import type { ContainerState } from './state.js';

/** Options of {@link Container.copyFrom}. */
export interface CopyFromOptions {
  /** Follow a symlink named by the path itself (`docker cp -L`); links below it are never followed. */
  followLink?: boolean;
  /**
   * With a running container paused for the copy: when the stream is not read for this long, it is
   * destroyed with `ERR_COPY_TIMEOUT` and the container thawed. Default 30 000 ms.
   */
  idleTimeoutMs?: number;
}

/** Options of {@link Container.copyTo}. */
export interface CopyToOptions {
  /** Keep the uid/gid of the entries (`docker cp -a`); else files belong to the container's root (0:0). */
  archive?: boolean;
}

/** What `docker cp` prints about a path (`stat` of the source). */
export interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: Date;
  isDirectory: boolean;
  linkTarget?: string;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Items of the tree at `host` named `rel` (itself first unless `rel` is empty), never following symlinks. @internal */
export function* walk(host: string, rel: string, st: Stats): Generator<LayerItem> {
  if (rel !== '') yield { rel, host, stats: st };
  if (!st.isDirectory()) return;
  for (const name of readdirSync(host).sort(byName)) {
    const chost = `${host}/${name}`;
    yield* walk(chost, rel === '' ? name : `${rel}/${name}`, lstatSync(chost));
  }
}

function notFound(path: string, state: ContainerState): ContainerError {
  return new ContainerError('ERR_PATH_NOT_FOUND', `Could not find the file ${path} in container ${state.name}`);
}

/** Where in-container `path` is (see {@link locate}), or `undefined` when a parent is missing. */
function locateOrMissing(rootFd: number, path: string, follow: boolean): Located | undefined {
  try {
    return locate(rootFd, path, follow);
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

/** Closes each fd given, once. */
function closer(...fds: number[]): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    for (const fd of fds) closeSync(fd);
  };
}

/**
 * A tar of `path` inside the container: the file, link or directory under its
 * own name, or with a path ending in `/.` the directory's contents. Resolves
 * once the path is found; the tar streams afterwards. Every step goes through
 * directory fds under the container's root (see root-fd.ts), so this is safe
 * while the container runs.
 *
 * @throws ContainerError `ERR_PATH_NOT_FOUND`.
 */
export async function copyFromContainer(state: ContainerState, path: string, opts: CopyFromOptions = {}): Promise<{ stat: PathStat; tar: Readable }> {
  const view = await openRootfs(state, 'read');
  let close = (): void => undefined;
  try {
    const rootFd = openRootDir(view.path);
    close = closer(rootFd);
    const contents = /\/\.\/?$/.test(path);
    const at = locateOrMissing(rootFd, contents ? path.replace(/\/\.\/?$/, '') || '/' : path, opts.followLink === true || contents);
    if (at === undefined) throw notFound(path, state);
    close = closer(at.dirFd, rootFd);
    const st = statAt(at.dirFd, at.name);
    if (st === undefined) throw notFound(path, state);
    if (path.endsWith('/') && !st.isDirectory()) throw new ContainerError('ERR_NOT_A_DIRECTORY', `${path} is not a directory in container ${state.name}`);
    const name = contents ? '' : basename(posix.normalize(`/${path}`)) || '.';
    const rel = contents ? '' : name === '.' ? '.' : name;
    const out = new PassThrough({ highWaterMark: 1 << 20 });
    const tar = Readable.from(tarOf(walkAt(at.dirFd, at.name, rel, st)));
    const fds = close;
    const release = once(() => {
      fds();
      view.release();
    });
    pipeline(tar, out).then(release, (err: unknown) => {
      release();
      out.destroy(err as Error);
    });
    out.on('close', release);
    return { stat: { name, size: st.size, mode: st.mode, mtime: st.mtime, isDirectory: st.isDirectory() }, tar: out };
  } catch (err) {
    close();
    view.release();
    throw err;
  }
}

function once(f: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    f();
  };
}

/** Stats `path` inside the container (docker's `HEAD archive`), or `undefined` when it does not exist. */
export async function statInContainer(state: ContainerState, path: string): Promise<PathStat | undefined> {
  const view = await openRootfs(state, 'read');
  try {
    const rootFd = openRootDir(view.path);
    try {
      const at = locateOrMissing(rootFd, path, true);
      if (at === undefined) return undefined;
      let st: Stats | undefined;
      try {
        st = statAt(at.dirFd, at.name);
      } finally {
        closeSync(at.dirFd);
      }
      if (st === undefined) return undefined;
      return { name: posix.basename(path), size: st.size, mode: st.mode, mtime: st.mtime, isDirectory: st.isDirectory() };
    } finally {
      closeSync(rootFd);
    }
  } finally {
    view.release();
  }
}

/**
 * Extracts the tar `input` into directory `path` of the container (it must
 * exist). Entry names are taken relative to that directory; `..`, absolute
 * names and symlinks (the container's or the archive's own) never lead out of
 * the container's root: every entry is written through directory fds resolved
 * in the root (copy-writer.ts), so this is safe while the container runs.
 * Whiteout names (`.wh.*`) are refused.
 *
 * @throws ContainerError `ERR_PATH_NOT_FOUND`, `ERR_NOT_A_DIRECTORY`; LayerError for a hostile or corrupt tar.
 */
export async function copyToContainer(state: ContainerState, path: string, input: Readable, opts: CopyToOptions = {}): Promise<void> {
  const view = await openRootfs(state, 'write');
  try {
    const rootFd = openRootDir(view.path);
    const writer = new RootWriter(rootFd);
    try {
      let st: Stats | undefined;
      try {
        const fd = openInRoot(rootFd, path, O_PATH);
        st = fstatSync(fd);
        closeSync(fd);
      } catch (err) {
        if (!isMissing(err)) throw err;
      }
      if (st === undefined) throw notFound(path, state);
      if (!st.isDirectory()) throw new ContainerError('ERR_NOT_A_DIRECTORY', `${path} is not a directory in container ${state.name}`);
      // An in-root path: the kernel resolves it again, inside the root, for every entry.
      const prefix = resolveInRootAt(rootFd, path);
      const under = (p: string): string => (prefix === '' ? p : `${prefix}/${p.replace(/^\/+/, '')}`);
      await extractTar(input, writer, under, opts.archive === true);
    } finally {
      writer.close();
      closeSync(rootFd);
    }
  } finally {
    view.release();
  }
}

/**
 * Feeds `input` through a strict tar parser into `target` (then `finish` it),
 * renaming entries (and hardlink targets) with `rename`; whiteout names are
 * refused; without `archive` owners become 0:0.
 *
 * @internal
 */
export async function extractTar(input: Readable, target: TarSink, rename: (path: string) => string, archive: boolean): Promise<void> {
  const parser = new Parser({ strict: true, maxMetaEntrySize: 1 << 20 });
  let failure: unknown;
  let pending = 0;
  let onIdle: (() => void) | undefined;
  const fail = (err: unknown): void => {
    failure ??= err;
  };
  parser.on('error', fail);
  parser.on('entry', (entry: ReadEntry) => {
    if (failure !== undefined) return entry.resume();
    const name = entry.path.replace(/\/+$/, '');
    if (name.split('/').some((p) => p.startsWith('.wh.'))) {
      entry.resume();
      return fail(new LayerError('ERR_LAYER_WHITEOUT_INVALID', 'whiteout entries cannot be copied into a container', { entry: entry.path }));
    }
    entry.path = rename(entry.path);
    if (entry.type === 'Link' && entry.linkpath !== undefined) entry.linkpath = rename(entry.linkpath);
    if (!archive) {
      entry.uid = 0;
      entry.gid = 0;
    }
    pending++;
    const done = (err?: unknown): void => {
      pending--;
      if (err !== undefined) fail(err);
      if (pending === 0) onIdle?.();
    };
    try {
      target.write(entry, done);
    } catch (err) {
      entry.resume();
      done(err);
    }
  });
  const sink = new Writable({
    highWaterMark: 1 << 16,
    write(chunk: Buffer, _enc, cb) {
      if (failure !== undefined) return cb(asError(failure));
      if (parser.write(chunk)) cb();
      else parser.once('drain', () => cb(failure === undefined ? undefined : asError(failure)));
    },
    final(cb) {
      parser.once('end', () => {
        const finish = (): void => cb(failure === undefined ? undefined : asError(failure));
        if (pending === 0) finish();
        else onIdle = finish;
      });
      parser.end();
    },
  });
  try {
    await pipeline(input, sink);
  } catch (err) {
    throw asError(failure ?? err);
  }
  if (failure !== undefined) throw asError(failure);
  target.finish();
}

function asError(err: unknown): Error {
  if (err instanceof OcikitError) return err;
  return new LayerError('ERR_LAYER_CORRUPT', `cannot copy into the container: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}
