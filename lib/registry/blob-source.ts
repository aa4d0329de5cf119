/**
 * Sources of blob bytes for uploads: a buffer or a file, readable again from
 * any offset (for chunked uploads and retries).
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';

/** Bytes of a blob that can be read again from any offset. */
export interface BlobSource {
  /** Size in bytes. */
  readonly size: number;
  /** A stream of bytes `[start, end)`. */
  open(start: number, end: number): Readable;
}

/** A blob held in memory. */
export function bufferSource(data: Uint8Array): BlobSource {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return { size: buf.length, open: (start, end) => Readable.from([buf.subarray(start, end)]) };
}

/** A blob stored in a file of `size` bytes. */
export function fileSource(path: string, size: number): BlobSource {
  return {
    size,
    open: (start, end) => (end > start ? createReadStream(path, { start, end: end - 1, highWaterMark: 1024 * 1024 }) : Readable.from([])),
  };
}
