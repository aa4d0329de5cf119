/**
 * Writes tar entries under a root with our own path resolution (see
 * safe-path.ts), applying OCI whiteouts. All file system calls are
 * synchronous: each takes microseconds, and entries arrive one at a time from
 * the asynchronous decompressor, so the event loop is never held long.
 *
 * @module
 */
import * as fs from 'node:fs';
import type { ReadEntry } from 'tar';
import { LayerError } from '../errors.js';
import { logger } from '../log.js';
import { copyFromLower, mapId } from './lower-files.js';
import { makeNode, setXattr } from './node-ops.js';
import { removeTree } from './remove-tree.js';
import type { ApplyOptions } from './options.js';
import { entryComponents, resolveParents, wrapFsError } from './safe-path.js';
import type { Xattrs } from './tar-scan.js';

const log = logger('layer');
const OPAQUE = '.wh..wh..opq';
const WH = '.wh.';

interface DirMeta {
  mode: number;
  mtime: Date | undefined;
}

/** Applies entries of one layer to `root`. */
export class EntryWriter {
  readonly #root: string;
  readonly #opts: ApplyOptions;
  readonly #privileged: boolean;
  readonly #chown: boolean;
  readonly #dirCache = new Set<string>();
  /** In-root paths this layer created (whiteouts included), with their ancestors. */
  readonly #mine = new Set<string>();
  readonly #dirMeta = new Map<string, DirMeta>();
  /** Times of existing directories this layer changes without declaring them, restored at the end. */
  readonly #saved = new Map<string, { atime: Date; mtime: Date }>();
  /** Directories this apply created: they hold nothing but what this layer wrote. */
  readonly #fresh = new Set<string>();
  /** Whiteout devices this layer made (overlay mode). */
  readonly #whiteouts = new Set<string>();
  readonly #uid = process.getuid?.() ?? 0;
  readonly #gid = process.getgid?.() ?? 0;
  /** The process umask (all bits when it cannot be read, as in a worker thread: then every file gets its fchmod). */
  readonly #umask = ((): number => {
    try {
      return process.umask();
    } catch {
      return 0o777;
    }
  })();
  /** Number of entries written. */
  entries = 0;

  constructor(root: string, opts: ApplyOptions) {
    this.#root = root;
    this.#opts = opts;
    const isRoot = process.getuid?.() === 0;
    this.#privileged = opts.privileged ?? isRoot;
    this.#chown = isRoot && (this.#privileged || opts.idMap !== undefined);
  }

  /** Handles one entry; for regular files, `onDone` is called once the body is written. */
  write(entry: ReadEntry, xattrs: Xattrs | undefined, onDone: (err?: unknown) => void): void {
    const comps = entryComponents(entry.path);
    if (comps.length === 0) {
      entry.resume();
      return onDone();
    }
    const base = comps[comps.length - 1] as string;
    if (base.startsWith(WH)) {
      entry.resume();
      this.#whiteout(comps, base, entry.path);
      return onDone();
    }
    const parts = resolveParents(this.#root, comps, this.#dirCache, entry.path);
    const rel = parts.join('/');
    const host = `${this.#root}/${rel}`;
    try {
      this.#mkParents(parts);
      const isDir = entry.type === 'Directory' || entry.type === 'GNUDumpDir';
      const slash = rel.lastIndexOf('/');
      const parentFresh = slash < 0 ? false : this.#fresh.has(rel.slice(0, slash));
      if (!parentFresh) this.#touch(rel);
      if (!parentFresh || this.#mine.has(rel)) this.#clear(rel, host, isDir);
      this.#mark(rel);
      this.entries++;
      switch (entry.type) {
        case 'Directory':
        case 'GNUDumpDir':
          return this.#dir(entry, rel, host, xattrs, onDone);
        case 'File':
        case 'OldFile':
        case 'ContiguousFile':
          return this.#file(entry, host, xattrs, onDone);
        case 'SymbolicLink':
          entry.resume();
          fs.symlinkSync(entry.linkpath ?? '', host);
          this.#meta(entry, host, undefined, xattrs, true);
          return onDone();
        case 'Link':
          entry.resume();
          this.#hardlink(entry, host);
          return onDone();
        case 'CharacterDevice':
        case 'BlockDevice':
        case 'FIFO':
          entry.resume();
          this.#special(entry, host, xattrs);
          return onDone();
        default:
          entry.resume();
          log('skipping %s entry %s', entry.type, entry.path);
          return onDone();
      }
    } catch (err) {
      entry.resume();
      throw wrapFsError(err, entry.path);
    }
  }

  /** Sets the deferred modes and mtimes of directories; call after the last entry. */
  finish(): void {
    for (const [rel, t] of this.#saved) {
      if (this.#dirMeta.has(rel)) continue;
      try {
        fs.utimesSync(rel === '' ? this.#root : `${this.#root}/${rel}`, t.atime, t.mtime);
      } catch (err) {
        throw wrapFsError(err, rel);
      }
    }
    for (const [rel, m] of this.#dirMeta) {
      const host = rel === '' ? this.#root : `${this.#root}/${rel}`;
      try {
        fs.chmodSync(host, m.mode);
        if (m.mtime) fs.utimesSync(host, m.mtime, m.mtime);
      } catch (err) {
        throw wrapFsError(err, rel);
      }
    }
  }

  #refuse(what: string, entry: string): boolean {
    if (this.#opts.onRefused === 'error') throw new LayerError('ERR_LAYER_NOT_ALLOWED', `${what} not allowed without privileges`, { entry });
    log('dropping %s of %s', what, entry);
    return false;
  }

  #mode(entry: ReadEntry): number {
    let mode = (entry.mode ?? 0o644) & 0o7777;
    if (!this.#privileged && mode & 0o6000) {
      this.#refuse('setuid/setgid bit', entry.path);
      mode &= ~0o6000;
    }
    return mode;
  }

  #mkParents(parts: string[]): void {
    if (parts.length < 2 || this.#dirCache.has(parts.slice(0, -1).join('/'))) return;
    let rel = '';
    for (let i = 0; i < parts.length - 1; i++) {
      rel = i === 0 ? (parts[0] as string) : `${rel}/${parts[i] as string}`;
      if (this.#dirCache.has(rel)) continue;
      try {
        if (i === 0 || !this.#fresh.has(rel.slice(0, rel.lastIndexOf('/')))) this.#touch(rel);
        fs.mkdirSync(`${this.#root}/${rel}`, 0o755);
        this.#fresh.add(rel);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      this.#dirCache.add(rel);
    }
  }

  /** Saves the times of the directory holding `rel` before this layer changes it, unless the layer sets them. */
  #touch(rel: string): void {
    const slash = rel.lastIndexOf('/');
    const parent = slash < 0 ? '' : rel.slice(0, slash);
    if (this.#saved.has(parent) || this.#dirMeta.has(parent) || this.#fresh.has(parent)) return;
    const st = fs.lstatSync(parent === '' ? this.#root : `${this.#root}/${parent}`, { throwIfNoEntry: false });
    if (st?.isDirectory()) this.#saved.set(parent, { atime: st.atime, mtime: st.mtime });
  }

  #mark(rel: string): void {
    for (let p = rel; p !== '' && !this.#mine.has(p); p = p.slice(0, Math.max(0, p.lastIndexOf('/')))) this.#mine.add(p);
  }

  #forget(rel: string): void {
    const prefix = `${rel}/`;
    for (const set of [this.#dirCache, this.#mine, this.#fresh]) for (const p of set) if (p === rel || p.startsWith(prefix)) set.delete(p);
    for (const map of [this.#dirMeta, this.#saved]) for (const p of map.keys()) if (p === rel || p.startsWith(prefix)) map.delete(p);
  }

  /** Removes what stands at `host` unless both it and the new entry are directories. */
  #clear(rel: string, host: string, keepDir: boolean): void {
    const st = fs.lstatSync(host, { throwIfNoEntry: false });
    if (st === undefined) return;
    if (st.isDirectory()) {
      if (keepDir) return;
      this.#forget(rel);
      removeTree(host);
    } else {
      fs.unlinkSync(host);
    }
  }

  #owner(entry: ReadEntry): [number, number] {
    return [mapId(entry.uid ?? 0, this.#opts.idMap?.uids, entry.path), mapId(entry.gid ?? 0, this.#opts.idMap?.gids, entry.path)];
  }

  #xattrs(host: string, xattrs: Xattrs | undefined, entry: string): void {
    if (xattrs === undefined || this.#opts.xattrs === false) return;
    for (const [name, value] of xattrs) {
      if (!this.#privileged && !name.startsWith('user.')) {
        this.#refuse(`xattr ${name}`, entry);
        continue;
      }
      setXattr(host, name, value);
    }
  }

  /** chown, then chmod (chown clears setuid), then xattrs (chown clears capabilities), then times. */
  #meta(entry: ReadEntry, host: string, mode: number | undefined, xattrs: Xattrs | undefined, link = false, times = true): void {
    if (this.#chown) {
      const [uid, gid] = this.#owner(entry);
      fs.lchownSync(host, uid, gid);
    }
    if (mode !== undefined) fs.chmodSync(host, mode);
    this.#xattrs(host, xattrs, entry.path);
    if (times && entry.mtime) (link ? fs.lutimesSync : fs.utimesSync)(host, entry.mtime, entry.mtime);
  }

  #dir(entry: ReadEntry, rel: string, host: string, xattrs: Xattrs | undefined, onDone: (err?: unknown) => void): void {
    entry.resume();
    try {
      fs.mkdirSync(host, 0o700);
      this.#fresh.add(rel);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    this.#dirCache.add(rel);
    // A directory over a path this layer whited out hides everything below it.
    if (this.#whiteouts.has(rel)) setXattr(host, 'trusted.overlay.opaque', Buffer.from('y'));
    // Times are set by finish(), after the entries below it: not here as well.
    this.#meta(entry, host, undefined, xattrs, false, false);
    this.#dirMeta.set(rel, { mode: this.#mode(entry), mtime: entry.mtime });
    onDone();
  }

  #file(entry: ReadEntry, host: string, xattrs: Xattrs | undefined, onDone: (err?: unknown) => void): void {
    const mode = this.#mode(entry);
    // Created with its permission bits, so the fchmod below is needed only for the
    // bits the umask takes away and for setuid/setgid/sticky (set after the chown,
    // which clears them).
    const createMode = mode & 0o777;
    const fd = fs.openSync(host, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, createMode);
    let failed = false;
    entry.on('data', (chunk: Buffer) => {
      if (failed) return;
      try {
        let off = 0;
        while (off < chunk.length) off += fs.writeSync(fd, chunk, off);
      } catch (err) {
        failed = true;
        fs.closeSync(fd);
        onDone(wrapFsError(err, entry.path));
      }
    });
    entry.on('end', () => {
      if (failed) return;
      try {
        if (this.#chown) {
          const [uid, gid] = this.#owner(entry);
          // A new file is already owned by us: skip the call in the common case.
          if (uid !== this.#uid || gid !== this.#gid) fs.fchownSync(fd, uid, gid);
        }
        if ((createMode & ~this.#umask) !== mode) fs.fchmodSync(fd, mode);
        if (xattrs === undefined && entry.mtime) fs.futimesSync(fd, entry.mtime, entry.mtime);
        fs.closeSync(fd);
        if (xattrs !== undefined) {
          this.#xattrs(host, xattrs, entry.path);
          if (entry.mtime) fs.utimesSync(host, entry.mtime, entry.mtime);
        }
        onDone();
      } catch (err) {
        onDone(wrapFsError(err, entry.path));
      }
    });
  }

  #hardlink(entry: ReadEntry, host: string): void {
    const tcomps = entryComponents(entry.linkpath ?? '');
    if (tcomps.length === 0) throw new LayerError('ERR_LAYER_LINK_TARGET', 'hardlink to the root', { entry: entry.path });
    const tparts = resolveParents(this.#root, tcomps, this.#dirCache, entry.path);
    const target = `${this.#root}/${tparts.join('/')}`;
    let st = fs.lstatSync(target, { throwIfNoEntry: false });
    if (st !== undefined && this.#opts.whiteouts === 'overlay' && st.isCharacterDevice() && st.rdev === 0) st = undefined;
    if (st === undefined && copyFromLower(this.#opts.lowerdirs ?? [], tcomps, host, this.#chown, entry.path)) return;
    if (st === undefined || st.isDirectory()) {
      throw new LayerError('ERR_LAYER_LINK_TARGET', `hardlink target ${JSON.stringify(entry.linkpath)} is ${st ? 'a directory' : 'missing'}`, { entry: entry.path });
    }
    fs.linkSync(target, host);
  }

  #special(entry: ReadEntry, host: string, xattrs: Xattrs | undefined): void {
    const kind = entry.type === 'FIFO' ? 'fifo' : entry.type === 'CharacterDevice' ? 'char' : 'block';
    if (kind !== 'fifo' && !this.#privileged) {
      this.#refuse('device node', entry.path);
      return;
    }
    const mode = this.#mode(entry);
    makeNode(host, kind, mode, entry.header.devmaj, entry.header.devmin);
    this.#meta(entry, host, mode, xattrs);
  }

  #whiteout(comps: string[], base: string, name: string): void {
    const dirComps = comps.slice(0, -1);
    const overlay = this.#opts.whiteouts === 'overlay';
    if (base === OPAQUE) {
      const dparts = dirComps.length === 0 ? [] : resolveParents(this.#root, [...dirComps, '.'], this.#dirCache, name).slice(0, -1);
      const drel = dparts.join('/');
      const dhost = drel === '' ? this.#root : `${this.#root}/${drel}`;
      if (overlay) {
        if (dparts.length > 0) this.#mkParents([...dparts, '']);
        setXattr(dhost, 'trusted.overlay.opaque', Buffer.from('y'));
      } else if (fs.lstatSync(dhost, { throwIfNoEntry: false })?.isDirectory()) {
        this.#touch(`${drel}/x`);
        this.#purgeLower(drel, dhost);
      }
      return;
    }
    if (base.startsWith(`${WH}${WH}`)) {
      log('ignoring aufs metadata %s', name);
      return;
    }
    const victim = base.slice(WH.length);
    if (victim === '' || victim === '.' || victim === '..') {
      throw new LayerError('ERR_LAYER_WHITEOUT_INVALID', `invalid whiteout ${JSON.stringify(base)}`, { entry: name });
    }
    const parts = resolveParents(this.#root, [...dirComps, victim], this.#dirCache, name);
    const rel = parts.join('/');
    const host = `${this.#root}/${rel}`;
    if (overlay) {
      if (this.#mine.has(rel)) {
        // This layer's own entry stays, hiding what is below it.
        if (fs.lstatSync(host).isDirectory()) setXattr(host, 'trusted.overlay.opaque', Buffer.from('y'));
        return;
      }
      this.#mkParents(parts);
      this.#touch(rel);
      this.#clear(rel, host, false);
      makeNode(host, 'char', 0, 0, 0);
      this.#whiteouts.add(rel);
      this.#mark(rel);
      return;
    }
    if (this.#mine.has(rel)) return;
    this.#touch(rel);
    this.#clear(rel, host, false);
  }

  /** Deletes what lower layers put under `rel`, keeping what this layer wrote. */
  #purgeLower(rel: string, host: string): void {
    for (const name of fs.readdirSync(host)) {
      const crel = rel === '' ? name : `${rel}/${name}`;
      const chost = `${host}/${name}`;
      if (!this.#mine.has(crel)) {
        this.#forget(crel);
        removeTree(chost);
      } else if (fs.lstatSync(chost).isDirectory()) {
        this.#purgeLower(crel, chost);
      }
    }
  }
}
