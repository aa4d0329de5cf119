/**
 * A blob download as one stream that resumes with `Range` when the connection
 * is cut, so a 1 GiB layer survives a reset without starting over.
 *
 * @module
 */
import { Readable } from 'node:stream';
import type { Response } from 'node-fetch';
import { DigestMismatchError, RegistryError } from '../errors.js';
import { logger } from '../log.js';
import { errorFromResponse } from './error-body.js';

const log = logger('registry');

/** Opens the blob from byte `offset` on (a `Range` request when offset > 0). */
export type BlobOpener = (offset: number) => Promise<Response>;

/** Options of {@link ResumableBlobStream}. */
export interface ResumableOptions {
  digest: string;
  /** Expected size, when known. */
  size?: number;
  maxResumes: number;
  signal?: AbortSignal;
}

/** Parses `Content-Range: bytes S-E/T` into its start, or `undefined`. */
function rangeStart(header: string | null): number | undefined {
  const m = /^bytes (\d+)-\d+\/(?:\d+|\*)$/.exec(header?.trim() ?? '');
  return m?.[1] !== undefined ? Number(m[1]) : undefined;
}

/** A readable over a blob that survives cut connections. Bytes are NOT verified here. */
export class ResumableBlobStream extends Readable {
  readonly #open: BlobOpener;
  readonly #opts: ResumableOptions;
  #offset = 0;
  #resumes = 0;
  #body: NodeJS.ReadableStream | undefined;
  #starting = false;
  /** Size announced by the first response, when any. */
  announcedSize: number | undefined;

  constructor(open: BlobOpener, opts: ResumableOptions) {
    super({ highWaterMark: 1024 * 1024 });
    this.#open = open;
    this.#opts = opts;
  }

  /** Times the download was resumed. */
  get resumes(): number {
    return this.#resumes;
  }

  override _read(): void {
    if (this.#body !== undefined) {
      (this.#body as Readable).resume();
      return;
    }
    if (!this.#starting) void this.#start();
  }

  override _destroy(err: Error | null, cb: (error?: Error | null) => void): void {
    (this.#body as Readable | undefined)?.destroy();
    cb(err);
  }

  async #start(): Promise<void> {
    this.#starting = true;
    try {
      const res = await this.#open(this.#offset);
      const dcd = res.headers.get('docker-content-digest');
      if (dcd !== null && dcd !== '' && dcd !== this.#opts.digest) {
        res.body?.resume();
        throw new DigestMismatchError(this.#opts.digest, dcd, 'blob (Docker-Content-Digest)');
      }
      let skip = 0;
      if (res.status === 206) {
        const start = rangeStart(res.headers.get('content-range'));
        if (start !== this.#offset) {
          res.body?.resume();
          throw new RegistryError('ERR_RANGE_INVALID', `resume asked for byte ${this.#offset}, got range starting at ${String(start)}`);
        }
      } else if (res.status === 200) {
        skip = this.#offset; // the server ignored Range: drop what we already have
        if (this.#offset === 0) {
          const len = Number(res.headers.get('content-length'));
          if (Number.isFinite(len) && res.headers.get('content-length') !== null) this.announcedSize = len;
          if (this.#opts.size !== undefined && this.announcedSize !== undefined && this.announcedSize !== this.#opts.size) {
            res.body?.resume();
            throw new DigestMismatchError(`${this.#opts.size} bytes`, `${this.announcedSize} bytes`, 'blob size');
          }
        }
      } else {
        throw await errorFromResponse(res, `blob ${this.#opts.digest}`);
      }
      const body = res.body;
      if (body === null) throw new RegistryError('ERR_REGISTRY_HTTP', 'blob response without a body');
      this.#body = body;
      this.#starting = false;
      body.on('data', (chunk: Buffer) => {
        let c = chunk;
        if (skip > 0) {
          const n = Math.min(skip, c.length);
          skip -= n;
          c = c.subarray(n);
          if (c.length === 0) return;
        }
        this.#offset += c.length;
        if (this.#opts.size !== undefined && this.#offset > this.#opts.size) {
          this.destroy(new DigestMismatchError(`${this.#opts.size} bytes`, `more than ${this.#opts.size} bytes`, 'blob size'));
          return;
        }
        if (!this.push(c)) (body as Readable).pause();
      });
      body.on('end', () => {
        this.#body = undefined;
        if (this.#opts.size !== undefined && this.#offset < this.#opts.size) {
          this.#resume(new Error(`response ended after ${this.#offset} of ${this.#opts.size} bytes`));
          return;
        }
        this.push(null);
      });
      body.on('error', (err: Error) => {
        this.#body = undefined;
        this.#resume(err);
      });
    } catch (err) {
      this.#starting = false;
      this.destroy(err as Error);
    }
  }

  #resume(err: Error): void {
    if (this.destroyed) return;
    if (this.#opts.signal?.aborted || this.#resumes >= this.#opts.maxResumes) {
      this.destroy(new RegistryError('ERR_NETWORK', `blob ${this.#opts.digest} download failed at byte ${this.#offset}: ${err.message}`, { cause: err }));
      return;
    }
    this.#resumes++;
    log('blob %s cut at byte %d (%s); resuming (%d)', this.#opts.digest, this.#offset, err.message, this.#resumes);
    void this.#start();
  }
}
