/**
 * The content store: an OCI image layout (`oci-layout`, `index.json`,
 * `blobs/<alg>/<hex>`) under the storage root, readable by skopeo and umoci.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { mkdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { DigestMismatchError, StoreError } from '../errors.js';
import { logger } from '../log.js';
import { digestOf, parseDigest, type Digest } from '../oci/digest.js';
import type { LayoutIndex } from '../oci/image-types.js';
import { storageRoot } from '../paths.js';
import { writeJsonAtomic } from '../util/atomic-write.js';
import { withLock } from '../util/lock.js';
import { writeBlob, type WriteBlobOptions } from './blob-writer.js';
import { removeDeadIngest } from './ingest.js';
import { takeLease, type Lease } from './leases.js';

const log = logger('store');

const LAYOUT = { imageLayoutVersion: '1.0.0' };

/** The content store of one storage root. */
export class Store {
  /** The storage root (the OCI layout directory). */
  readonly root: string;

  private constructor(root: string) {
    this.root = root;
  }

  /** Opens (creating if needed) the store at `root` (default: the storage root). */
  static async open(root: string = storageRoot()): Promise<Store> {
    const store = new Store(root);
    await mkdir(join(root, 'blobs', 'sha256'), { recursive: true });
    await mkdir(store.ingestDir, { recursive: true });
    await removeDeadIngest(store.ingestDir); // what killed pulls and commits left
    await mkdir(join(root, 'locks'), { recursive: true });
    try {
      await writeFile(join(root, 'oci-layout'), `${JSON.stringify(LAYOUT)}\n`, { flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new StoreError('ERR_STORE_INIT', `cannot create store at ${root}`, { cause: err });
    }
    try {
      await writeFile(join(root, 'index.json'), `${JSON.stringify({ schemaVersion: 2, manifests: [] })}\n`, { flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new StoreError('ERR_STORE_INIT', `cannot create store at ${root}`, { cause: err });
    }
    return store;
  }

  /** Directory of temp files being written (same filesystem as `blobs/`). */
  get ingestDir(): string {
    return join(this.root, 'ingest');
  }

  /** Directory of leases of running pulls. */
  get leaseDir(): string {
    return join(this.root, 'leases');
  }

  /** Path of a blob (the digest is validated first). */
  blobPath(digest: string): string {
    const { algorithm, hex } = parseDigest(digest);
    return join(this.root, 'blobs', algorithm, hex);
  }

  /** Whether the store holds `digest` (of `size`, when given). Refreshes its mtime, protecting it from a concurrent GC. */
  async hasBlob(digest: string, size?: number): Promise<boolean> {
    const path = this.blobPath(digest);
    try {
      const st = await stat(path);
      if (size !== undefined && st.size !== size) return false;
      const now = new Date();
      await utimes(path, now, now).catch(() => undefined);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw new StoreError('ERR_STORE_READ', `cannot stat blob ${digest}`, { cause: err });
    }
  }

  /** Size of a stored blob, or `undefined`. */
  async blobSize(digest: string): Promise<number | undefined> {
    try {
      return (await stat(this.blobPath(digest))).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StoreError('ERR_STORE_READ', `cannot stat blob ${digest}`, { cause: err });
    }
  }

  /** Streams `source` into the store; it appears only once verified. */
  async writeBlob(source: Readable | AsyncIterable<Uint8Array> | Iterable<Uint8Array>, opts: WriteBlobOptions = {}): Promise<{ digest: Digest; size: number }> {
    if (opts.expected !== undefined) await mkdir(join(this.blobPath(opts.expected), '..'), { recursive: true });
    const out = await writeBlob(source, this.ingestDir, (d) => this.blobPath(d), opts);
    log('stored %s (%d bytes)', out.digest, out.size);
    return out;
  }

  /** Stores bytes held in memory; resolves with their digest. */
  async putBytes(bytes: Uint8Array, expected?: string): Promise<Digest> {
    const digest = digestOf(bytes);
    if (expected !== undefined && expected !== digest) throw new DigestMismatchError(expected, digest, 'blob');
    if (await this.hasBlob(digest, bytes.length)) return digest;
    await this.writeBlob([bytes], { expected: digest, size: bytes.length });
    return digest;
  }

  /** Reads a whole (small) blob and checks its digest. */
  async readBytes(digest: string, maxBytes = 64 * 1024 * 1024): Promise<Buffer> {
    const path = this.blobPath(digest);
    let bytes: Buffer;
    try {
      const st = await stat(path);
      if (st.size > maxBytes) throw new StoreError('ERR_BLOB_TOO_LARGE', `blob ${digest} is larger than ${maxBytes} bytes`);
      bytes = await readFile(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new StoreError('ERR_BLOB_UNKNOWN', `blob ${digest} is not in the store`, { cause: err });
      throw err;
    }
    const actual = digestOf(bytes, parseDigest(digest).algorithm);
    if (actual !== digest) throw new DigestMismatchError(digest, actual, 'stored blob');
    return bytes;
  }

  /** A stream of a stored blob (not re-verified). */
  openBlob(digest: string): Readable {
    return createReadStream(this.blobPath(digest), { highWaterMark: 1024 * 1024 });
  }

  /** Reads `index.json`. */
  async readIndex(): Promise<LayoutIndex> {
    const text = await readFile(join(this.root, 'index.json'), 'utf8');
    const idx = JSON.parse(text) as LayoutIndex;
    if (!Array.isArray(idx.manifests)) throw new StoreError('ERR_STORE_CORRUPT', `${this.root}/index.json has no manifests list`);
    return idx;
  }

  /** Runs `fn` holding the store's index lock. */
  withIndexLock<T>(fn: () => Promise<T>): Promise<T> {
    return withLock(join(this.root, 'locks', 'index.lock'), fn);
  }

  /** Changes `index.json` under the lock (read, `fn`, temp + rename). */
  async updateIndex<T>(fn: (index: LayoutIndex) => T | Promise<T>): Promise<T> {
    return this.withIndexLock(async () => {
      const index = await this.readIndex();
      const out = await fn(index);
      await writeJsonAtomic(join(this.root, 'index.json'), { ...index, schemaVersion: 2 });
      return out;
    });
  }

  /** Takes a lease protecting blobs being written from GC. */
  lease(): Promise<Lease> {
    return takeLease(this.leaseDir);
  }
}
