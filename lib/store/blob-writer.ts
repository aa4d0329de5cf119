/**
 * Writing a blob into the store: streamed through the hasher into a temp file
 * under `ingest/` (same filesystem), fsynced, and renamed into `blobs/` only
 * after its digest (and size) checked. A killed writer leaves only a temp file.
 *
 * @module
 */
import { createHash, type Hash } from 'node:crypto';
import { fsync, writev } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DigestMismatchError, RegistryError, StoreError } from '../errors.js';
import { parseDigest, type Digest } from '../oci/digest.js';
import { syncDir } from '../util/atomic-write.js';
import { fetchOnWorker, type FetchJob } from '../util/blob-fetcher.js';
import { FileHasher } from '../util/file-hasher.js';
import { crashPoint } from '../util/crash-point.js';
import { ingestPath } from './ingest.js';

/** Blobs from this size on (or of unknown size) are hashed on the worker. */
const WORKER_HASH_MIN = 1024 * 1024;
/** Bytes gathered into one `writev`. */
const WRITE_BATCH = 1024 * 1024;

/** Options of one blob write. */
export interface WriteBlobOptions {
  /** The digest the content must have; when absent it is computed and returned. */
  expected?: string;
  /** The size the content must have. */
  size?: number;
  /** Called after each chunk with bytes written so far. */
  onData?: (written: number) => void;
  signal?: AbortSignal;
}

/** A temp file name inside `ingestDir` that names its writer (pid and start time), so a dead writer's file is told apart. */
export function tempName(ingestDir: string): string {
  return ingestPath(ingestDir, 'tmp');
}

/**
 * The file end of a blob write: counts each chunk, writes them in `writev`s of
 * about {@link WRITE_BATCH} bytes, and has the hash worker read back and hash
 * what is written (util/file-hasher.ts), off the event loop; small blobs, or
 * all where no worker runs, are hashed here in the same pass. Tried and
 * dropped: an early background `fdatasync` every few MiB (writes then stall
 * behind the writeback: 1.2x slower), and the worker doing the writes too
 * (one copy more on the event loop, the worker becomes the bottleneck: 1.15x).
 */
class BlobSink extends Writable {
  readonly #fd: number;
  readonly #hasher: Hash | FileHasher;
  readonly #opts: WriteBlobOptions;
  written = 0;
  /** The error of a failed write to the file, if one failed. */
  failedWrite: Error | undefined;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #flushed = 0;
  #inflight: Promise<void> | undefined;

  constructor(fd: number, hasher: Hash | FileHasher, opts: WriteBlobOptions) {
    super({ highWaterMark: 4 * 1024 * 1024 });
    this.#fd = fd;
    this.#hasher = hasher;
    this.#opts = opts;
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.#take([chunk], cb);
  }

  override _writev(chunks: { chunk: Buffer }[], cb: (err?: Error | null) => void): void {
    this.#take(chunks.map((c) => c.chunk), cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    if (this.#pending.length === 0) return cb();
    this.#flush(cb);
  }

  /** Counts and hashes `bufs`; they are written once {@link WRITE_BATCH} bytes have gathered (few, large writes). */
  #take(bufs: Buffer[], cb: (err?: Error | null) => void): void {
    let n = 0;
    for (const b of bufs) {
      n += b.length;
      if (this.#opts.size !== undefined && this.written + n > this.#opts.size) {
        cb(new DigestMismatchError(`${this.#opts.size} bytes`, `more than ${this.#opts.size} bytes`, 'blob size'));
        return;
      }
      if (!(this.#hasher instanceof FileHasher)) this.#hasher.update(b);
    }
    this.written += n;
    this.#opts.onData?.(this.written);
    this.#pending.push(...bufs);
    this.#pendingBytes += n;
    if (this.#pendingBytes < WRITE_BATCH) return cb();
    this.#flush(cb);
  }

  #flush(cb: (err?: Error | null) => void): void {
    const bufs = this.#pending;
    const n = this.#pendingBytes;
    this.#pending = [];
    this.#pendingBytes = 0;
    let done!: () => void;
    this.#inflight = new Promise<void>((resolve) => (done = resolve));
    writeAll(this.#fd, bufs, (err) => {
      this.#inflight = undefined;
      done();
      if (err !== null) this.failedWrite = err;
      if (err === null) {
        this.#flushed += n;
        if (this.#hasher instanceof FileHasher) this.#hasher.written(this.#flushed);
      }
      cb(err);
    });
  }

  /** Resolves once no write is in flight (the fd may then be closed, even after an error). */
  async idle(): Promise<void> {
    while (this.#inflight !== undefined) await this.#inflight;
  }

  /** fsync of the file (before its rename). */
  sync(): Promise<void> {
    return new Promise<void>((resolve, reject) => fsync(this.#fd, (err) => (err ? reject(err) : resolve())));
  }
}

/** writev of all `bufs` at the current file position, resuming after short writes. */
function writeAll(fd: number, bufs: Buffer[], cb: (err: Error | null) => void): void {
  writev(fd, bufs, (err, n) => {
    if (err) return cb(err);
    let left = n;
    while (bufs.length > 0 && left >= (bufs[0] as Buffer).length) left -= (bufs.shift() as Buffer).length;
    if (bufs.length === 0) return cb(null);
    bufs[0] = (bufs[0] as Buffer).subarray(left);
    writeAll(fd, bufs, cb);
  });
}

/**
 * Streams `source` into a temp file, checks it, and renames it to the blob path
 * given by `blobPath(digest)`. Resolves with the digest and size.
 */
export async function writeBlob(
  source: Readable | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  ingestDir: string,
  blobPath: (digest: Digest) => string,
  opts: WriteBlobOptions = {},
): Promise<{ digest: Digest; size: number }> {
  const algorithm = opts.expected !== undefined ? parseDigest(opts.expected).algorithm : 'sha256';
  const tmp = tempName(ingestDir);
  const fh = await open(tmp, 'wx+', 0o644);
  const hasher = (opts.size === undefined || opts.size >= WORKER_HASH_MIN ? FileHasher.open(fh.fd, algorithm) : undefined) ?? createHash(algorithm);
  const sink = new BlobSink(fh.fd, hasher, opts);
  let closed = false;
  try {
    try {
      await pipeline(source, sink, opts.signal !== undefined ? { signal: opts.signal } : {});
    } catch (err) {
      const errno = (err as NodeJS.ErrnoException | null)?.code;
      // a failed write of ours, not an error of the source
      if (sink.failedWrite === err) throw storeWriteError(`cannot write blob${opts.expected !== undefined ? ` ${opts.expected}` : ''}`, (err as Error).message, errno, err);
      throw err;
    }
    const written = sink.written;
    if (opts.size !== undefined && written !== opts.size) {
      throw new DigestMismatchError(`${opts.size} bytes`, `${written} bytes`, 'blob size');
    }
    // The fsync (needed before the rename) runs while the worker hashes the tail.
    const [hex] = await Promise.all([
      hasher instanceof FileHasher ? hasher.digest(written) : hasher.digest('hex'),
      sink.sync().catch((err: unknown) => {
        throw storeWriteError('cannot sync blob', (err as Error).message, (err as NodeJS.ErrnoException).code, err);
      }),
    ]);
    const digest: Digest = `${algorithm}:${hex}`;
    if (opts.expected !== undefined && digest !== opts.expected) throw new DigestMismatchError(opts.expected, digest, 'blob');
    crashPoint('blob:written');
    closed = true;
    await fh.close();
    await publish(tmp, blobPath(digest));
    return { digest, size: written };
  } catch (err) {
    if (!closed) {
      await sink.idle();
      if (hasher instanceof FileHasher) await hasher.abort();
      await fh.close().catch(() => undefined);
    }
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Has the fetch worker (util/blob-fetcher.ts) download a blob into a temp file
 * (written, hashed and fsynced there); checks the digest and size it reports
 * and renames the file into place. Resolves `undefined`, with nothing left
 * behind, when the worker hands the request back (redirect, challenge, retry):
 * the caller then takes the ordinary path.
 */
export async function fetchBlob(
  job: Omit<FetchJob, 'fd' | 'algorithm' | 'digest' | 'size'>,
  ingestDir: string,
  blobPath: (digest: Digest) => string,
  opts: WriteBlobOptions & { expected: string; size: number },
): Promise<{ digest: Digest; size: number } | undefined> {
  const algorithm = parseDigest(opts.expected).algorithm;
  const tmp = tempName(ingestDir);
  const fh = await open(tmp, 'wx', 0o644);
  let closed = false;
  try {
    opts.signal?.throwIfAborted();
    const r = await fetchOnWorker({ ...job, fd: fh.fd, algorithm, digest: opts.expected, size: opts.size }, (n) => opts.onData?.(n), opts.signal);
    if (r.aborted === true) throw opts.signal?.reason ?? new Error('aborted');
    opts.signal?.throwIfAborted();
    if (r.fallback === true) {
      closed = true;
      await fh.close();
      await rm(tmp, { force: true });
      return undefined;
    }
    if (r.mismatch === true) throw new DigestMismatchError(r.expected ?? '', r.actual ?? '', r.what ?? 'blob');
    if (r.error !== undefined && r.code === 'ERR_STORE_WRITE') throw storeWriteError(`cannot write blob ${opts.expected}`, r.error, r.errno);
    if (r.error !== undefined) throw new RegistryError(r.code === 'ERR_RANGE_INVALID' ? 'ERR_RANGE_INVALID' : 'ERR_NETWORK', r.error);
    if (r.size !== opts.size) throw new DigestMismatchError(`${opts.size} bytes`, `${String(r.size)} bytes`, 'blob size');
    const digest: Digest = `${algorithm}:${String(r.digest)}`;
    if (digest !== opts.expected) throw new DigestMismatchError(opts.expected, digest, 'blob');
    opts.onData?.(r.size);
    closed = true;
    await fh.close();
    await publish(tmp, blobPath(digest));
    return { digest, size: r.size };
  } catch (err) {
    if (!closed) await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * A failed write into the store: `ERR_STORE_FULL` saying the disk is full for ENOSPC (and
 * EDQUOT: the quota is), else `ERR_STORE_WRITE`.
 */
export function storeWriteError(what: string, message: string, errno: string | undefined, cause?: unknown): StoreError {
  if (errno === 'ENOSPC' || errno === 'EDQUOT') {
    const why = errno === 'ENOSPC' ? 'no space left on the device: the disk is full' : 'disk quota exceeded';
    return new StoreError('ERR_STORE_FULL', `${what}: ${why}`, { cause: cause ?? new Error(message) });
  }
  return new StoreError('ERR_STORE_WRITE', `${what}: ${message}`, { cause: cause ?? new Error(message) });
}

/** Moves a verified, fsynced temp file to its content address and makes the rename durable. */
async function publish(tmp: string, dest: string): Promise<void> {
  try {
    await rename(tmp, dest);
  } catch (err) {
    throw new StoreError('ERR_STORE_WRITE', `cannot move blob into ${dest}`, { cause: err });
  }
  await syncDir(join(dest, '..'));
}
