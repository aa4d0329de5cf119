/**
 * The base of ocikit's errors: {@link OcikitError} with its brand (so `instanceof` holds across
 * copies of the package and realms), and the errors every area shares.
 *
 * @module
 */
import type { OcikitErrorCode } from './error-codes.js';


/** On an error instance: the brands of its class and of every ocikit class above it. */
const BRANDS = Symbol.for('ocikit.error.brands');
/** On an error class: its own brand (a registry-wide symbol, so every copy agrees). */
/** @internal */
export const BRAND = Symbol.for('ocikit.error.brand');

type Branded = { [BRAND]?: string };

function brandsOf(ctor: Function): string[] {
  const brands: string[] = [];
  for (let c: unknown = ctor; typeof c === 'function'; c = Object.getPrototypeOf(c)) {
    if (Object.prototype.hasOwnProperty.call(c, BRAND)) brands.push((c as Branded)[BRAND] as string);
  }
  return brands;
}

/** Options accepted by every ocikit error constructor. */
export interface OcikitErrorOptions {
  /** The lower-level error that led to this one. */
  cause?: unknown;
}

/**
 * Base class of every error ocikit throws.
 *
 * `code` is stable across releases and safe to branch on; `message` is for people.
 */
export class OcikitError extends Error {
  /** @internal */
  static readonly [BRAND]: string = 'OcikitError';

  /**
   * `err instanceof SomeOcikitError` holds when `err` was made by that class or a subclass, in
   * this copy of ocikit or in any other (undici's brand pattern).
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    const brands = (value as { [BRANDS]?: unknown })[BRANDS];
    const own = Object.prototype.hasOwnProperty.call(this, BRAND) ? (this as Branded)[BRAND] : undefined;
    // a class of ours always has its own brand; anything else (a user's subclass) uses the prototype chain
    if (own === undefined) return Function.prototype[Symbol.hasInstance].call(this, value);
    return Array.isArray(brands) && brands.includes(own);
  }

  /** Stable identifier of the failure, such as `ERR_INVALID_REFERENCE`. */
  readonly code: OcikitErrorCode;
  /** @internal */
  declare readonly [BRANDS]: readonly string[];

  constructor(code: OcikitErrorCode, message: string, options: OcikitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
    Object.defineProperty(this, BRANDS, { value: Object.freeze(brandsOf(new.target)), enumerable: false });
  }
}

/**
 * `ABORT_ERR`: the caller's `AbortSignal` ended a long operation or stream. Named `AbortError`
 * with Node's code, so handlers written for Node's own aborts recognise it; `cause` is the
 * signal's reason.
 */
export class AbortError extends OcikitError {
  /** @internal */
  static override readonly [BRAND]: string = 'AbortError';
  /** Stable identifier of the failure; one of 'ABORT_ERR'. */
  declare readonly code: 'ABORT_ERR';

  constructor(message = 'the operation was aborted', options: OcikitErrorOptions = {}) {
    super('ABORT_ERR', message, options);
    this.name = 'AbortError';
  }
}

/** An image reference string that does not follow the Docker reference grammar. */
export class InvalidReferenceError extends OcikitError {
  /** @internal */
  static override readonly [BRAND]: string = 'InvalidReferenceError';
  /** Stable identifier of the failure; one of 'ERR_INVALID_REFERENCE'. */
  declare readonly code: 'ERR_INVALID_REFERENCE';

  /** The reference as the caller gave it. */
  readonly reference: string;
  /** Which part of the reference is wrong: `name`, `domain`, `path`, `tag` or `digest`. */
  readonly part: 'reference' | 'name' | 'domain' | 'path' | 'tag' | 'digest';

  constructor(
    reference: string,
    part: InvalidReferenceError['part'],
    reason: string,
    options: OcikitErrorOptions = {},
  ) {
    super('ERR_INVALID_REFERENCE', `invalid reference ${JSON.stringify(reference)}: ${part} ${reason}`, options);
    this.reference = reference;
    this.part = part;
  }
}

/** A digest string that is malformed or names an unsupported algorithm. */
export class InvalidDigestError extends OcikitError {
  /** @internal */
  static override readonly [BRAND]: string = 'InvalidDigestError';
  /** Stable identifier of the failure; one of 'ERR_INVALID_DIGEST'. */
  declare readonly code: 'ERR_INVALID_DIGEST';

  /** The digest as given. */
  readonly digest: string;

  constructor(digest: string, reason: string, options: OcikitErrorOptions = {}) {
    super('ERR_INVALID_DIGEST', `invalid digest ${JSON.stringify(digest)}: ${reason}`, options);
    this.digest = digest;
  }
}

/** Content whose digest or size is not the one it was expected to have. */
export class DigestMismatchError extends OcikitError {
  /** @internal */
  static override readonly [BRAND]: string = 'DigestMismatchError';
  /** Stable identifier of the failure; one of 'ERR_DIGEST_MISMATCH'. */
  declare readonly code: 'ERR_DIGEST_MISMATCH';

  /** The digest the content should have had. */
  readonly expected: string;
  /** The digest the content actually had (or a description of the size mismatch). */
  readonly actual: string;

  constructor(expected: string, actual: string, what = 'content', options: OcikitErrorOptions = {}) {
    super('ERR_DIGEST_MISMATCH', `${what} digest mismatch: expected ${expected}, got ${actual}`, options);
    this.expected = expected;
    this.actual = actual;
  }
}
