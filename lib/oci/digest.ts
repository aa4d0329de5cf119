/**
 * Content digests: `algorithm:hex`, as the OCI image spec defines them.
 *
 * @module
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { DigestMismatchError, InvalidDigestError, OcikitError } from '../errors.js';

/** Digest algorithms ocikit verifies. */
export type DigestAlgorithm = 'sha256' | 'sha512';

/** A validated digest string such as `sha256:e3b0…`. */
export type Digest = `${DigestAlgorithm}:${string}`;

const HEX_LENGTH: Record<DigestAlgorithm, number> = { sha256: 64, sha512: 128 };

/** The parts of a digest. */
export interface ParsedDigest {
  algorithm: DigestAlgorithm;
  /** Lowercase hex encoding of the hash. */
  hex: string;
}

/**
 * Parses and validates a digest. Only `sha256` and `sha512` with lowercase hex
 * of the exact length are accepted, so a digest can be used as a file name.
 *
 * @throws {@link InvalidDigestError} when the string is not such a digest.
 */
export function parseDigest(value: string): ParsedDigest {
  if (typeof value !== 'string') throw new InvalidDigestError(String(value), 'not a string');
  const colon = value.indexOf(':');
  if (colon <= 0) throw new InvalidDigestError(value, 'expected "algorithm:hex"');
  const algorithm = value.slice(0, colon);
  const hex = value.slice(colon + 1);
  if (algorithm !== 'sha256' && algorithm !== 'sha512') {
    throw new InvalidDigestError(value, `unsupported algorithm ${JSON.stringify(algorithm)} (sha256 and sha512 are)`);
  }
  const want = HEX_LENGTH[algorithm];
  if (hex.length !== want || !/^[0-9a-f]+$/.test(hex)) {
    throw new InvalidDigestError(value, `${algorithm} needs ${want} lowercase hex characters`);
  }
  return { algorithm, hex };
}

/** Returns `value` typed as a {@link Digest} after validating it. */
export function toDigest(value: string): Digest {
  parseDigest(value);
  return value as Digest;
}

/** Whether `value` is a valid digest. */
export function isDigest(value: string): value is Digest {
  try {
    parseDigest(value);
    return true;
  } catch {
    return false;
  }
}

/** Digest of an in-memory buffer or string. */
export function digestOf(data: Uint8Array | string, algorithm: DigestAlgorithm = 'sha256'): Digest {
  return `${algorithm}:${createHash(algorithm).update(data).digest('hex')}`;
}

/**
 * A pass-through stream that hashes what flows through it. After the stream
 * ends, {@link DigestStream.digest} and {@link DigestStream.size} hold the result.
 */
export class DigestStream extends Transform {
  readonly algorithm: DigestAlgorithm;
  #hash: Hash;
  #size = 0;
  #digest: Digest | undefined;

  constructor(algorithm: DigestAlgorithm = 'sha256') {
    super();
    this.algorithm = algorithm;
    this.#hash = createHash(algorithm);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.#hash.update(chunk);
    this.#size += chunk.length;
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    this.#digest = `${this.algorithm}:${this.#hash.digest('hex')}`;
    cb();
  }

  /** Bytes seen so far. */
  get size(): number {
    return this.#size;
  }

  /** The digest; only available once the stream has flushed. */
  get digest(): Digest {
    if (this.#digest === undefined) throw new OcikitError('ERR_DIGEST_NOT_READY', 'DigestStream: digest read before the stream ended');
    return this.#digest;
  }
}

/**
 * A pass-through stream that fails with {@link DigestMismatchError} at its end
 * when the bytes that went through do not have `expected` digest (and size, if given).
 */
export class VerifyingStream extends Transform {
  readonly expected: Digest;
  readonly expectedSize: number | undefined;
  #hash: Hash;
  #size = 0;

  constructor(expected: string, expectedSize?: number) {
    super();
    const { algorithm } = parseDigest(expected);
    this.expected = expected as Digest;
    this.expectedSize = expectedSize;
    this.#hash = createHash(algorithm);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.#size += chunk.length;
    if (this.expectedSize !== undefined && this.#size > this.expectedSize) {
      cb(new DigestMismatchError(this.expected, `more than ${this.expectedSize} bytes`, 'size'));
      return;
    }
    this.#hash.update(chunk);
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    if (this.expectedSize !== undefined && this.#size !== this.expectedSize) {
      cb(new DigestMismatchError(`${this.expectedSize} bytes`, `${this.#size} bytes`, 'size'));
      return;
    }
    const algorithm = parseDigest(this.expected).algorithm;
    const actual = `${algorithm}:${this.#hash.digest('hex')}`;
    if (actual !== this.expected) {
      cb(new DigestMismatchError(this.expected, actual));
      return;
    }
    cb();
  }

  /** Bytes seen so far. */
  get size(): number {
    return this.#size;
  }
}
