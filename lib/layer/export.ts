/**
 * Whole trees in and out as tars: `docker export` and `docker import`.
 *
 * @module
 */
import { lstatSync, readdirSync } from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import type { LayerCompression } from '../oci/media-types.js';
import { tarOf, writeTarStream, type LayerBlob, type LayerItem } from './diff-writer.js';
import { listXattrs, xattrSupported } from './node-ops.js';

function* walkTree(root: string, rel: string, xattrs: boolean): Generator<LayerItem> {
  const host = rel === '' ? root : `${root}/${rel}`;
  for (const name of readdirSync(host).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const crel = rel === '' ? name : `${rel}/${name}`;
    const chost = `${host}/${name}`;
    const st = lstatSync(chost);
    let x: Map<string, Buffer> | undefined;
    if (xattrs && !st.isSymbolicLink()) {
      x = listXattrs(chost);
      for (const k of [...x.keys()]) if (k.startsWith('trusted.overlay.')) x.delete(k);
      if (x.size === 0) x = undefined;
    }
    yield { rel: crel, host: chost, stats: st, xattrs: x };
    if (st.isDirectory()) yield* walkTree(root, crel, xattrs);
  }
}

/**
 * The whole tree under `dir` as an uncompressed tar stream (`docker export`):
 * sorted, normalised entries, hardlinks kept, xattrs kept when they can be read.
 */
export function exportRootfs(dir: string, options: { xattrs?: boolean } = {}): Readable {
  return Readable.from(tarOf(walkTree(dir, '', options.xattrs ?? xattrSupported())));
}

/**
 * Builds a one-layer blob from a root file system tar (`docker import`):
 * compresses `tar` into `dest`, computing the blob digest and diff_id in one pass.
 */
export function importTar(tar: Readable, dest: Writable, options: { compression?: LayerCompression; level?: number } = {}): Promise<LayerBlob> {
  return writeTarStream(tar, dest, options.compression ?? 'gzip', options.level);
}
