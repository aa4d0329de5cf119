/**
 * Writes tar entries into a container's tree through directory fds (SECURITY 14, moby
 * CVE-2018-15664), for `cp` into a container that may be running. Each entry's parent is opened
 * from the root fd with openat2 `RESOLVE_IN_ROOT` (symlinks, the container's or the archive's
 * own, are followed as if the root were `/`); the entry itself is created, replaced and changed
 * as one name in that open directory, never following a symlink. A container swapping a
 * directory for a symlink meanwhile can make an entry fail or land elsewhere in its own tree,
 * never on the host.
 *
 * @module
 */
import * as fs from 'node:fs';
import type { ReadEntry } from 'tar';
import { ContainerError, LayerError } from '../errors.js';
import { logger } from '../log.js';
import { entryComponents, wrapFsError } from '../layer/safe-path.js';
import { lchownAt, linkAt, lutimesAt, mkdirAt, mknodAt, O_DIR, openInRoot, symlinkAt, unlinkAt } from '../native/at.js';
import { S_IFBLK, S_IFCHR, S_IFIFO } from '../native/fs.js';
import { isMissing, statAt } from './root-fd.js';

const log = logger('container');

/** Where extracted tar entries go (see `extractTar` in copy.ts). */
export interface TarSink {
  /** Writes one entry; `onDone` once its body is written. Throws for a refused entry. */
  write(entry: ReadEntry, onDone: (err?: unknown) => void): void;
  /** Applies what waits for the last entry (directory modes and times). */
  finish(): void;
  /** Releases what the sink holds (idempotent). */
  close(): void;
}

/** Writes entries under the directory fd `rootFd` (not owned: the caller closes it). */
export class RootWriter implements TarSink {
  readonly #root: number;
  readonly #privileged = process.getuid?.() === 0;
  /** Directories this copy wrote: in-root path → mode and mtime, applied by finish(). */
  readonly #dirs = new Map<string, { mode: number; mtime: Date | undefined }>();
  /** The last parent directory opened (entries come grouped by directory). */
  #cached: { path: string; fd: number } | undefined;

  constructor(rootFd: number) {
    this.#root = rootFd;
  }

  write(entry: ReadEntry, onDone: (err?: unknown) => void): void {
    const comps = entryComponents(entry.path);
    const name = comps.at(-1);
    if (name === undefined) {
      entry.resume();
      return onDone();
    }
    try {
      const dirFd = this.#parent(comps.slice(0, -1));
      const isDir = entry.type === 'Directory' || entry.type === 'GNUDumpDir';
      const here = statAt(dirFd, name);
      if (here?.isDirectory() === true && !isDir) {
        throw new ContainerError('ERR_CANNOT_OVERWRITE', `cannot overwrite directory ${JSON.stringify(`/${comps.join('/')}`)} with non-directory`);
      }
      if (here !== undefined && !here.isDirectory()) unlinkAt(dirFd, name);
      const mode = this.#mode(entry);
      switch (entry.type) {
        case 'Directory':
        case 'GNUDumpDir':
          entry.resume();
          if (here === undefined || !here.isDirectory()) mkdirAt(dirFd, name, 0o700);
          this.#own(dirFd, name, entry);
          this.#dirs.set(comps.join('/'), { mode, mtime: entry.mtime });
          return onDone();
        case 'File':
        case 'OldFile':
        case 'ContiguousFile':
          return this.#file(entry, dirFd, name, mode, onDone);
        case 'SymbolicLink':
          entry.resume();
          symlinkAt(entry.linkpath ?? '', dirFd, name);
          this.#own(dirFd, name, entry);
          if (entry.mtime) lutimesAt(dirFd, name, entry.mtime);
          return onDone();
        case 'Link':
          entry.resume();
          this.#hardlink(entry, dirFd, name);
          return onDone();
        case 'CharacterDevice':
        case 'BlockDevice':
        case 'FIFO':
          entry.resume();
          this.#special(entry, dirFd, name, mode);
          return onDone();
        default:
          entry.resume();
          log('cp: skipping %s entry %s', entry.type, entry.path);
          return onDone();
      }
    } catch (err) {
      entry.resume();
      throw wrapFsError(err, entry.path, 'cannot copy into the container');
    }
  }

  finish(): void {
    this.#drop();
    for (const [rel, m] of this.#dirs) {
      let fd: number;
      try {
        fd = openInRoot(this.#root, rel, O_DIR | fs.constants.O_NOFOLLOW);
      } catch (err) {
        if (isMissing(err)) continue; // the container moved it meanwhile: nothing of ours to finish
        throw wrapFsError(err, rel, 'cannot copy into the container');
      }
      try {
        fs.fchmodSync(fd, m.mode);
        if (m.mtime) fs.futimesSync(fd, m.mtime, m.mtime);
      } finally {
        fs.closeSync(fd);
      }
    }
  }

  close(): void {
    this.#drop();
  }

  #drop(): void {
    if (this.#cached !== undefined) fs.closeSync(this.#cached.fd);
    this.#cached = undefined;
  }

  /** The directory `comps` (created as needed), from the cache or opened anew. */
  #parent(comps: string[]): number {
    const path = comps.join('/');
    if (this.#cached?.path === path) return this.#cached.fd;
    const fd = this.#openDir(comps);
    this.#drop();
    this.#cached = { path, fd };
    return fd;
  }

  /** Opens in-root directory `comps` from the root, creating missing ones (0755) from their parent's fd. */
  #openDir(comps: string[]): number {
    try {
      return openInRoot(this.#root, `/${comps.join('/')}`, O_DIR);
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'ENOENT' || comps.length === 0) throw notDir(err, comps);
    }
    const name = comps.at(-1) as string;
    const parent = this.#openDir(comps.slice(0, -1));
    try {
      try {
        mkdirAt(parent, name, 0o755);
      } catch (err) {
        if ((err as { code?: unknown }).code !== 'EEXIST') throw err;
      }
      return openInRoot(parent, name, O_DIR | fs.constants.O_NOFOLLOW);
    } catch (err) {
      throw notDir(err, comps);
    } finally {
      fs.closeSync(parent);
    }
  }

  #mode(entry: ReadEntry): number {
    let mode = (entry.mode ?? 0o644) & 0o7777;
    if (!this.#privileged && mode & 0o6000) {
      log('cp: dropping setuid/setgid bits of %s', entry.path);
      mode &= ~0o6000;
    }
    return mode;
  }

  /** Owner of a new entry (a symlink itself), when we may set it. */
  #own(dirFd: number, name: string, entry: ReadEntry): void {
    if (this.#privileged) lchownAt(dirFd, name, entry.uid ?? 0, entry.gid ?? 0);
  }

  #file(entry: ReadEntry, dirFd: number, name: string, mode: number, onDone: (err?: unknown) => void): void {
    const flags = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW;
    const fd = openInRoot(dirFd, name, flags, mode & 0o777);
    let failed = false;
    const fail = (err: unknown): void => {
      failed = true;
      fs.closeSync(fd);
      onDone(wrapFsError(err, entry.path, 'cannot copy into the container'));
    };
    entry.on('data', (chunk: Buffer) => {
      if (failed) return;
      try {
        for (let off = 0; off < chunk.length;) off += fs.writeSync(fd, chunk, off);
      } catch (err) {
        fail(err);
      }
    });
    entry.on('end', () => {
      if (failed) return;
      try {
        if (this.#privileged) fs.fchownSync(fd, entry.uid ?? 0, entry.gid ?? 0);
        fs.fchmodSync(fd, mode);
        if (entry.mtime) fs.futimesSync(fd, entry.mtime, entry.mtime);
        fs.closeSync(fd);
        onDone();
      } catch (err) {
        fail(err);
      }
    });
  }

  #hardlink(entry: ReadEntry, dirFd: number, name: string): void {
    const tcomps = entryComponents(entry.linkpath ?? '');
    const tname = tcomps.at(-1);
    if (tname === undefined) throw new LayerError('ERR_LAYER_LINK_TARGET', 'hardlink to the root', { entry: entry.path });
    const tdir = openInRoot(this.#root, `/${tcomps.slice(0, -1).join('/')}`, O_DIR);
    try {
      linkAt(tdir, tname, dirFd, name);
    } catch (cause) {
      throw new LayerError('ERR_LAYER_LINK_TARGET', `cannot link to ${JSON.stringify(entry.linkpath)}`, { entry: entry.path, cause });
    } finally {
      fs.closeSync(tdir);
    }
  }

  #special(entry: ReadEntry, dirFd: number, name: string, mode: number): void {
    if (entry.type !== 'FIFO' && !this.#privileged) {
      log('cp: dropping device node %s', entry.path);
      return;
    }
    const type = entry.type === 'FIFO' ? S_IFIFO : entry.type === 'CharacterDevice' ? S_IFCHR : S_IFBLK;
    mknodAt(dirFd, name, type | mode, entry.header.devmaj ?? 0, entry.header.devmin ?? 0);
    this.#own(dirFd, name, entry);
  }
}

function notDir(err: unknown, comps: string[]): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (code !== 'ENOTDIR' && code !== 'ELOOP') return err;
  return new LayerError('ERR_LAYER_PATH_NOT_DIR', `parent ${JSON.stringify(comps.join('/'))} is not a directory`, { entry: comps.join('/'), cause: err });
}
