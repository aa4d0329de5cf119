/**
 * Layer compression: chosen by media type, checked against the stream's magic
 * bytes, with a cap on the decompressed size against bombs.
 *
 * @module
 */
import { Transform, type Duplex, type TransformCallback } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { LayerError } from '../errors.js';
import { layerCompression, type LayerCompression } from '../oci/media-types.js';
import { zstdStream } from './zstd.js';

const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
/** Output of one inflate call: large enough that it takes about as long as writing it out. */
const INFLATE_CHUNK = 1 << 20;

/** The compression that the first bytes of a stream show. */
export function sniffCompression(head: Uint8Array): LayerCompression {
  if (GZIP_MAGIC.every((b, i) => head[i] === b)) return 'gzip';
  if (ZSTD_MAGIC.every((b, i) => head[i] === b)) return 'zstd';
  return 'none';
}

/** The compression of a layer media type, refusing types that are not layers. */
export function compressionOf(mediaType: string): LayerCompression {
  const c = layerCompression(mediaType);
  if (c === undefined) throw new LayerError('ERR_LAYER_MEDIA_TYPE', `not a layer media type: ${mediaType}`);
  return c;
}

/**
 * A stream that decompresses per `expected`, after checking the first bytes
 * agree with it; fails with `ERR_LAYER_COMPRESSION` when they do not, and with
 * `ERR_LAYER_TOO_LARGE` when more than `maxSize` bytes come out.
 */
export class Decompressor extends Transform {
  readonly #expected: LayerCompression;
  readonly #maxSize: number;
  #inner: Transform | Duplex | undefined;
  #head: Buffer | undefined = Buffer.alloc(0);
  #out = 0;
  #finalCb: TransformCallback | undefined;

  constructor(expected: LayerCompression, maxSize: number) {
    super({ highWaterMark: 1 << 16 });
    this.#expected = expected;
    this.#maxSize = maxSize;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.#head !== undefined) {
      this.#head = Buffer.concat([this.#head, chunk]);
      if (this.#head.length < 4) return cb();
      const seen = sniffCompression(this.#head);
      if (seen !== this.#expected) {
        return cb(new LayerError('ERR_LAYER_COMPRESSION', `layer announced as ${this.#expected} but its bytes are ${seen}`));
      }
      chunk = this.#head;
      this.#head = undefined;
      this.#start();
    }
    this.#feed(chunk, cb);
  }

  override _flush(cb: TransformCallback): void {
    if (this.#head !== undefined) {
      const head = this.#head;
      this.#head = undefined;
      if (head.length > 0 && this.#expected !== 'none') {
        return cb(new LayerError('ERR_LAYER_TRUNCATED', 'layer stream ends inside the compression header'));
      }
      this.#start();
      if (head.length > 0) {
        this.#feed(head, (err) => (err ? cb(err) : this.#finish(cb)));
        return;
      }
    }
    this.#finish(cb);
  }

  #start(): void {
    if (this.#expected === 'none') return;
    const inner = this.#expected === 'gzip' ? createGunzip({ chunkSize: INFLATE_CHUNK }) : zstdStream('decompress');
    this.#inner = inner;
    // zlib emits a chunk before it queues the next inflate on the thread pool, and
    // everything downstream (hashing, tar parsing, file creation) runs synchronously
    // inside that emit. Handing the chunk on in a microtask lets zlib queue the next
    // inflate first, so decompression overlaps with writing instead of alternating.
    inner.on('data', (c: Buffer) => {
      if (!this.#emit(c)) return;
      queueMicrotask(() => {
        if (this.destroyed) return;
        if (!this.push(c)) inner.pause();
      });
    });
    inner.on('error', (err: Error) => this.destroy(err instanceof LayerError ? err : new LayerError('ERR_LAYER_COMPRESSION', `cannot decompress layer: ${err.message}`, { cause: err })));
    inner.on('end', () => queueMicrotask(() => this.#finalCb?.()));
  }

  override _destroy(err: Error | null, cb: (error?: Error | null) => void): void {
    this.#inner?.destroy();
    cb(err);
  }

  override _read(size: number): void {
    this.#inner?.resume();
    super._read(size);
  }

  #emit(c: Buffer): boolean {
    this.#out += c.length;
    if (this.#out > this.#maxSize) {
      this.destroy(new LayerError('ERR_LAYER_TOO_LARGE', `layer decompresses to more than ${this.#maxSize} bytes`));
      return false;
    }
    return true;
  }

  #feed(chunk: Buffer, cb: TransformCallback): void {
    if (this.#inner === undefined) {
      if (!this.#emit(chunk)) return;
      return cb(null, chunk);
    }
    if (this.#inner.write(chunk)) cb();
    else this.#inner.once('drain', () => cb());
  }

  #finish(cb: TransformCallback): void {
    if (this.#inner === undefined) return cb();
    this.#finalCb = cb;
    this.#inner.end();
  }
}

/** A compressing stream for writing layers. */
export function compressor(kind: LayerCompression, level?: number): Transform | Duplex {
  if (kind === 'gzip') return createGzip({ level: level ?? 6, chunkSize: 1 << 16 });
  if (kind === 'zstd') return zstdStream('compress', level ?? 3);
  return new Transform({ transform: (c: Buffer, _e, cb) => cb(null, c) });
}
