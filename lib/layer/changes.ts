/**
 * The changes of a writable layer: from an overlay upper dir, or by comparing
 * two trees. The result lists changes as `docker diff` does and can be
 * written as a layer tar with OCI whiteouts.
 *
 * @module
 */
import { lstatSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import type { Writable } from 'node:stream';
import { listXattrs } from './node-ops.js';
import { wrapFsError } from './safe-path.js';
import { writeLayer, type LayerBlob, type LayerItem, type WriteLayerOptions } from './diff-writer.js';

/** One change, as `docker diff` prints it. */
export interface Change {
  /** `A` added, `C` changed, `D` deleted. */
  kind: 'A' | 'C' | 'D';
  /** Absolute path inside the container, such as `/etc/hosts`. */
  path: string;
}

/** Where an overlay's layers are, as {@link OverlayDirs.lowerdirs} topmost first. */
export interface OverlayDirs {
  /** Lower dirs, topmost first; relative ones resolve against `cwd`. */
  lowerdirs: readonly string[];
  /** The writable upper dir. */
  upperdir: string;
  /** Directory relative lowerdirs are resolved against. */
  cwd?: string;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const isWhiteout = (st: Stats): boolean => st.isCharacterDevice() && st.rdev === 0;

/** The changes of a layer, ready to list or to write as a tar. */
export class LayerChanges {
  /** The changes in path order. */
  readonly list: Change[];
  readonly #items: LayerItem[];

  /** @internal */
  constructor(list: Change[], items: LayerItem[]) {
    this.list = list;
    this.#items = items;
  }

  /** The changes that `keep` accepts (given each change and, except for deletions, its lstat). */
  filter(keep: (change: Change, stats: Stats | undefined) => boolean): LayerChanges {
    const list: Change[] = [];
    const items: LayerItem[] = [];
    this.list.forEach((c, i) => {
      const item = this.#items[i] as LayerItem;
      if (!keep(c, item.stats)) return;
      list.push(c);
      items.push(item);
    });
    return new LayerChanges(list, items);
  }

  /**
   * Writes the changes as a layer (sorted, normalised entries; whiteouts as
   * `.wh.` files; a replaced directory as an opaque whiteout) to `dest`,
   * compressed, computing digest and diff_id in the same pass.
   */
  write(dest: Writable, options: WriteLayerOptions = {}): Promise<LayerBlob> {
    return writeLayer(this.#items, dest, options);
  }
}

function userXattrs(host: string, skip: (name: string) => boolean): Map<string, Buffer> | undefined {
  const all = listXattrs(host);
  for (const name of [...all.keys()]) if (skip(name)) all.delete(name);
  return all.size > 0 ? all : undefined;
}

/**
 * Changes recorded in an overlay's upper dir: deletions are char devices 0/0,
 * replaced directories carry `trusted.overlay.opaque=y`; `trusted.overlay.*`
 * xattrs are not part of the layer. The overlay must be mounted with
 * `redirect_dir=off,metacopy=off`.
 */
export function diffOverlay(dirs: OverlayDirs): LayerChanges {
  const lowers = dirs.lowerdirs.map((d) => (d.startsWith('/') || dirs.cwd === undefined ? d : `${dirs.cwd}/${d}`));
  const lowerHas = (rel: string): boolean => {
    for (const l of lowers) {
      const st = lstatSync(`${l}/${rel}`, { throwIfNoEntry: false });
      if (st !== undefined) return !isWhiteout(st);
    }
    return false;
  };
  const list: Change[] = [];
  const items: LayerItem[] = [];
  const walk = (rel: string): void => {
    const dirHost = rel === '' ? dirs.upperdir : `${dirs.upperdir}/${rel}`;
    for (const name of readdirSync(dirHost).sort(byName)) {
      const crel = rel === '' ? name : `${rel}/${name}`;
      const host = `${dirHost}/${name}`;
      const st = lstatSync(host);
      if (isWhiteout(st)) {
        list.push({ kind: 'D', path: `/${crel}` });
        items.push({ rel: crel, whiteout: true });
        continue;
      }
      const xattrs = st.isSymbolicLink() ? undefined : listXattrs(host);
      const opaque = xattrs?.get('trusted.overlay.opaque')?.toString() === 'y';
      for (const k of [...(xattrs?.keys() ?? [])]) if (k.startsWith('trusted.overlay.')) xattrs?.delete(k);
      list.push({ kind: lowerHas(crel) ? 'C' : 'A', path: `/${crel}` });
      items.push({ rel: crel, host, stats: st, opaque, xattrs: xattrs !== undefined && xattrs.size > 0 ? xattrs : undefined });
      if (st.isDirectory()) walk(crel);
    }
  };
  try {
    walk('');
  } catch (err) {
    throw wrapFsError(err, 'diff', 'cannot compute changes');
  }
  return new LayerChanges(list, items);
}

/** Whether two non-directory entries are the same, by metadata (as `docker diff` compares). */
function sameEntry(a: Stats, b: Stats, aHost: string, bHost: string): boolean {
  if (a.mode !== b.mode || a.uid !== b.uid || a.gid !== b.gid || a.rdev !== b.rdev || a.size !== b.size) return false;
  if (Math.floor(a.mtimeMs / 1000) !== Math.floor(b.mtimeMs / 1000)) return false;
  return !a.isSymbolicLink() || readlinkSync(aHost) === readlinkSync(bHost);
}

/**
 * Changes that turn tree `lower` into tree `upper` (for the copy snapshotter):
 * entries compared by type, mode, owner, size, mtime and link target.
 */
export function diffDirectories(lower: string, upper: string, options: { xattrs?: boolean } = {}): LayerChanges {
  const list: Change[] = [];
  const items: LayerItem[] = [];
  const item = (rel: string, host: string, st: Stats): LayerItem => ({
    rel, host, stats: st,
    xattrs: options.xattrs === false || st.isSymbolicLink() ? undefined : userXattrs(host, (n) => n.startsWith('trusted.overlay.')),
  });
  const addAll = (rel: string, host: string): void => {
    for (const name of readdirSync(host).sort(byName)) {
      const crel = `${rel}/${name}`;
      const chost = `${host}/${name}`;
      const st = lstatSync(chost);
      list.push({ kind: 'A', path: `/${crel}` });
      items.push(item(crel, chost, st));
      if (st.isDirectory()) addAll(crel, chost);
    }
  };
  const walk = (rel: string): void => {
    const lhost = rel === '' ? lower : `${lower}/${rel}`;
    const uhost = rel === '' ? upper : `${upper}/${rel}`;
    const names = [...new Set([...readdirSync(lhost), ...readdirSync(uhost)])].sort(byName);
    for (const name of names) {
      const crel = rel === '' ? name : `${rel}/${name}`;
      const ls = lstatSync(`${lhost}/${name}`, { throwIfNoEntry: false });
      const us = lstatSync(`${uhost}/${name}`, { throwIfNoEntry: false });
      if (us === undefined) {
        list.push({ kind: 'D', path: `/${crel}` });
        items.push({ rel: crel, whiteout: true });
        continue;
      }
      const host = `${uhost}/${name}`;
      if (ls === undefined) {
        list.push({ kind: 'A', path: `/${crel}` });
        items.push(item(crel, host, us));
        if (us.isDirectory()) addAll(crel, host);
        continue;
      }
      if (ls.isDirectory() && us.isDirectory()) {
        const mark = items.length;
        const listMark = list.length;
        walk(crel);
        const metaChanged = ls.mode !== us.mode || ls.uid !== us.uid || ls.gid !== us.gid;
        if (metaChanged || items.length > mark) {
          list.splice(listMark, 0, { kind: 'C', path: `/${crel}` });
          items.splice(mark, 0, item(crel, host, us));
        }
        continue;
      }
      if (sameEntry(ls, us, `${lhost}/${name}`, host)) continue;
      list.push({ kind: 'C', path: `/${crel}` });
      items.push(item(crel, host, us));
      if (us.isDirectory()) addAll(crel, host);
    }
  };
  try {
    walk('');
  } catch (err) {
    throw wrapFsError(err, 'diff', 'cannot compute changes');
  }
  return new LayerChanges(list, items);
}

