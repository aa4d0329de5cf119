/**
 * Streams a list of layer items as a tar through sha256 (diff_id), the
 * compressor and sha256 again (digest) into a destination, in one pass.
 *
 * @module
 */
import { closeSync, constants, createReadStream, fstatSync, openSync, readlinkSync, readSync, type Stats } from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LayerError, OcikitError } from '../errors.js';
import { wrapFsError } from './safe-path.js';
import { DigestStream, type Digest } from '../oci/digest.js';
import { MediaType, type LayerCompression } from '../oci/media-types.js';
import { compressor } from './compression.js';
import { encodeHeader, END_OF_ARCHIVE, padding, type TarHeader } from './tar-writer.js';

/** One entry of a layer being written. */
export interface LayerItem {
  /** In-root path, no leading `/`. */
  rel: string;
  /** Where the entry is on disk (absent for whiteouts). */
  host?: string;
  stats?: Stats;
  /** A deletion: written as `.wh.<name>`. */
  whiteout?: boolean;
  /** A directory that replaces the lower one: followed by `.wh..wh..opq`. */
  opaque?: boolean;
  xattrs?: Map<string, Buffer> | undefined;
  /** Opens the file for reading, checked to be the one `stats` describes (instead of opening `host`). */
  open?: () => number;
  /** The symlink's target (instead of reading `host`). */
  linkTarget?: string;
}

/** Options of writing a layer. */
export interface WriteLayerOptions {
  /** Compression (default `gzip`). */
  compression?: LayerCompression;
  /** Compression level. */
  level?: number;
}

/** A layer blob that was written. */
export interface LayerBlob {
  /** Layer media type (OCI). */
  mediaType: string;
  /** Digest of the written (compressed) blob. */
  digest: Digest;
  /** Size of the written blob, in bytes. */
  size: number;
  /** Digest of the uncompressed tar. */
  diffId: Digest;
  /** Size of the uncompressed tar, in bytes. */
  uncompressedSize: number;
}

const MEDIA: Record<LayerCompression, string> = { gzip: MediaType.OciLayerGzip, zstd: MediaType.OciLayerZstd, none: MediaType.OciLayer };

function whiteoutHeader(path: string): Buffer {
  return encodeHeader({ path, type: 'file', mode: 0o644, uid: 0, gid: 0, size: 0, mtime: 0 });
}

/** The header of an item; `undefined` for sockets, which layers do not carry (as Docker skips them). */
function headerOf(item: LayerItem, st: Stats): TarHeader | undefined {
  const base = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, size: 0, mtime: Math.floor(st.mtimeMs / 1000), xattrs: item.xattrs };
  if (st.isDirectory()) return { ...base, path: `${item.rel}/`, type: 'dir' };
  if (st.isSymbolicLink()) return { ...base, path: item.rel, type: 'symlink', linkpath: item.linkTarget ?? readlinkSync(item.host as string), xattrs: undefined };
  if (st.isFile()) return { ...base, path: item.rel, type: 'file', size: st.size };
  if (st.isFIFO()) return { ...base, path: item.rel, type: 'fifo' };
  const major = Math.floor(st.rdev / 256) & 0xfff;
  const minor = (st.rdev & 0xff) | (Math.floor(st.rdev / 4096) & 0xfff00);
  if (st.isCharacterDevice()) return { ...base, path: item.rel, type: 'char', devmajor: major, devminor: minor };
  if (st.isBlockDevice()) return { ...base, path: item.rel, type: 'block', devmajor: major, devminor: minor };
  return undefined;
}

const BATCH = 256 * 1024;
const SMALL_FILE = 1 << 20;

/** Collects small buffers so the compressor sees few large writes. */
class Batch {
  #parts: Buffer[] = [];
  #size = 0;
  push(b: Buffer): boolean {
    if (b.length > 0) {
      this.#parts.push(b);
      this.#size += b.length;
    }
    return this.#size >= BATCH;
  }
  take(): Buffer {
    const out = this.#parts.length === 1 ? (this.#parts[0] as Buffer) : Buffer.concat(this.#parts, this.#size);
    this.#parts = [];
    this.#size = 0;
    return out;
  }
  get size(): number {
    return this.#size;
  }
}

/**
 * Opens the file the walk saw: the item's own `open` when it has one (walks of
 * a running container's tree open relative to a directory fd), else `host`
 * with `O_NOFOLLOW` for the last component and the same device and inode as
 * its lstat, so a file swapped for a symlink is refused, not followed.
 */
function openVerified(item: LayerItem, st: Stats): number {
  if (item.open !== undefined) return item.open();
  let fd: number;
  try {
    fd = openSync(item.host as string, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (cause) {
    throw new LayerError('ERR_LAYER_CHANGED', 'file changed while being written', { entry: item.rel, cause });
  }
  const now = fstatSync(fd);
  if (now.ino !== st.ino || now.dev !== st.dev || !now.isFile()) {
    closeSync(fd);
    throw new LayerError('ERR_LAYER_CHANGED', 'file was replaced while being written', { entry: item.rel });
  }
  return fd;
}

/** File content of a small file, read at once, checked against the size in its header. */
function readSmall(item: LayerItem, st: Stats, size: number): Buffer {
  const fd = openVerified(item, st);
  try {
    const data = Buffer.allocUnsafe(size);
    let n = 0;
    while (n < size) {
      const r = readSync(fd, data, n, size - n, n);
      if (r === 0) break;
      n += r;
    }
    if (n !== size || readSync(fd, Buffer.alloc(1), 0, 1, size) !== 0) {
      throw new LayerError('ERR_LAYER_CHANGED', `file changed size while being written (not ${size} bytes)`, { entry: item.rel });
    }
    return data;
  } finally {
    closeSync(fd);
  }
}

/** The tar bytes of `items`, in order, in chunks of about 256 KiB; file system errors become {@link LayerError}. */
export async function* tarOf(items: Iterable<LayerItem>): AsyncGenerator<Buffer> {
  try {
    yield* tarChunks(items);
  } catch (err) {
    throw wrapFsError(err, 'layer', 'cannot read a file for the layer');
  }
}

async function* tarChunks(items: Iterable<LayerItem>): AsyncGenerator<Buffer> {
  const links = new Map<string, string>();
  const batch = new Batch();
  for (const item of items) {
    const slash = item.rel.lastIndexOf('/');
    const dir = slash < 0 ? '' : item.rel.slice(0, slash + 1);
    if (item.whiteout) {
      if (batch.push(whiteoutHeader(`${dir}.wh.${item.rel.slice(slash + 1)}`))) yield batch.take();
      continue;
    }
    const st = item.stats as Stats;
    const h = headerOf(item, st);
    if (h === undefined) continue;
    if (h.type === 'file' && st.nlink > 1) {
      const key = `${st.dev}:${st.ino}`;
      const first = links.get(key);
      if (first !== undefined) {
        if (batch.push(encodeHeader({ ...h, type: 'link', size: 0, linkpath: first, xattrs: undefined }))) yield batch.take();
        continue;
      }
      links.set(key, item.rel);
    }
    batch.push(encodeHeader(h));
    if (h.type === 'file' && h.size > 0 && h.size <= SMALL_FILE) {
      batch.push(readSmall(item, st, h.size));
      batch.push(padding(h.size));
    } else if (h.type === 'file' && h.size > 0) {
      if (batch.size > 0) yield batch.take();
      let n = 0;
      for await (const chunk of createReadStream('', { fd: openVerified(item, st), highWaterMark: 1 << 20, end: h.size - 1 })) {
        n += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
      if (n !== h.size) throw new LayerError('ERR_LAYER_CHANGED', `file shrank while being written (${n} of ${h.size} bytes)`, { entry: item.rel });
      batch.push(padding(h.size));
    }
    if (item.opaque) batch.push(whiteoutHeader(`${item.rel}/.wh..wh..opq`));
    if (batch.size >= BATCH) yield batch.take();
  }
  batch.push(END_OF_ARCHIVE);
  yield batch.take();
}

/** Writes `items` as a compressed layer to `dest`. */
export async function writeLayer(items: Iterable<LayerItem>, dest: Writable, options: WriteLayerOptions = {}): Promise<LayerBlob> {
  const compression = options.compression ?? 'gzip';
  return writeTarStream(Readable.from(tarOf(items)), dest, compression, options.level);
}

/** Compresses an uncompressed tar stream into `dest`, computing diff_id and digest on the way. */
export async function writeTarStream(tar: Readable, dest: Writable, compression: LayerCompression, level?: number): Promise<LayerBlob> {
  const diff = new DigestStream('sha256');
  const blob = new DigestStream('sha256');
  try {
    await pipeline(tar, diff, compressor(compression, level), blob, dest);
  } catch (err) {
    throw err instanceof OcikitError ? err : new LayerError('ERR_LAYER_WRITE', `cannot write layer: ${(err as Error).message}`, { cause: err });
  }
  return { mediaType: MEDIA[compression], digest: blob.digest, size: blob.size, diffId: diff.digest, uncompressedSize: diff.size };
}
