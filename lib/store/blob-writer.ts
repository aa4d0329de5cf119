/**
 * Writing a blob into the store: streamed through the hasher into a temp file
 * under `ingest/` (same filesystem), fsynced, and renamed into `blobs/` only
 * after its digest (and size) checked. A killed writer leaves only a temp file.
 *
 * @internal
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DigestMismatchError, StoreError } from '../errors.js';
import { parseDigest, type Digest } from '../oci/digest.js';
import { syncDir } from '../util/atomic-write.js';

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

/** A temp file name inside `ingestDir` that names its writer's PID (so GC can tell a live writer). */
export function tempName(ingestDir: string): string {
  return join(ingestDir, `${process.pid}-${randomBytes(8).toString('hex')}.tmp`);
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
  const hasher = createHash(algorithm);
  let out: WriteStream | undefined;
  try {
    let written = 0;
    const count = new Transform({
      readableHighWaterMark: 1024 * 1024,
      writableHighWaterMark: 1024 * 1024,
      transform(chunk: Buffer, _enc, cb) {
        written += chunk.length;
        if (opts.size !== undefined && written > opts.size) {
          cb(new DigestMismatchError(`${opts.size} bytes`, `more than ${opts.size} bytes`, 'blob size'));
          return;
        }
        hasher.update(chunk);
        opts.onData?.(written);
        cb(null, chunk);
      },
    });
    // The file stream batches buffered chunks into one writev.
    out = createWriteStream(tmp, { flags: 'wx', mode: 0o644, highWaterMark: 2 * 1024 * 1024 });
    await pipeline(source, count, out, opts.signal !== undefined ? { signal: opts.signal } : {});
    const digest: Digest = `${algorithm}:${hasher.digest('hex')}`;
    if (opts.size !== undefined && written !== opts.size) {
      throw new DigestMismatchError(`${opts.size} bytes`, `${written} bytes`, 'blob size');
    }
    if (opts.expected !== undefined && digest !== opts.expected) throw new DigestMismatchError(opts.expected, digest, 'blob');
    const fh = await open(tmp, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    const dest = blobPath(digest);
    try {
      await rename(tmp, dest);
    } catch (err) {
      throw new StoreError('ERR_STORE_WRITE', `cannot move blob into ${dest}`, { cause: err });
    }
    await syncDir(join(dest, '..'));
    return { digest, size: written };
  } catch (err) {
    // The stream opens its file asynchronously: let it finish closing, or the
    // file could be created after the removal below.
    const stream = out;
    if (stream !== undefined && !stream.closed) await new Promise<void>((resolve) => stream.once('close', () => resolve()));
    await rm(tmp, { force: true });
    throw err;
  }
}
