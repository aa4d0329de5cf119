/**
 * Errors thrown by ocikit. Every error is an {@link OcikitError} with a stable
 * machine-readable `code`; each area has its own subclass so callers can catch
 * by kind (`instanceof RegistryError`) or switch on `code`.
 *
 * @module
 */

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
  /** Stable identifier of the failure, such as `ERR_INVALID_REFERENCE`. */
  readonly code: string;

  constructor(code: string, message: string, options: OcikitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * `ABORT_ERR`: the caller's `AbortSignal` ended a long operation or stream. Named `AbortError`
 * with Node's code, so handlers written for Node's own aborts recognise it; `cause` is the
 * signal's reason.
 */
export class AbortError extends OcikitError {
  constructor(message = 'the operation was aborted', options: OcikitErrorOptions = {}) {
    super('ABORT_ERR', message, options);
    this.name = 'AbortError';
  }
}

/** An image reference string that does not follow the Docker reference grammar. */
export class InvalidReferenceError extends OcikitError {
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
  /** The digest as given. */
  readonly digest: string;

  constructor(digest: string, reason: string, options: OcikitErrorOptions = {}) {
    super('ERR_INVALID_DIGEST', `invalid digest ${JSON.stringify(digest)}: ${reason}`, options);
    this.digest = digest;
  }
}

/** Content whose digest or size is not the one it was expected to have. */
export class DigestMismatchError extends OcikitError {
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

/** Details carried by a {@link RegistryError}. */
export interface RegistryErrorDetails extends OcikitErrorOptions {
  /** HTTP status of the response, when there was one. */
  status?: number;
  /** The distribution-spec error code (`MANIFEST_UNKNOWN`, `UNAUTHORIZED`, …) when the registry sent one. */
  registryCode?: string;
  /** The `detail` member of the registry's error body. */
  detail?: unknown;
  /** The URL that failed. */
  url?: string;
}

/** A failure talking to a registry, or a registry response ocikit refuses. */
export class RegistryError extends OcikitError {
  /** HTTP status, when the failure came from a response. */
  readonly status: number | undefined;
  /** Error code from the registry's `{"errors":[…]}` body, if any. */
  readonly registryCode: string | undefined;
  /** Detail from the registry's error body, if any. */
  readonly detail: unknown;
  /** URL of the request that failed, if any. */
  readonly url: string | undefined;

  constructor(code: string, message: string, details: RegistryErrorDetails = {}) {
    super(code, message, details);
    this.status = details.status;
    this.registryCode = details.registryCode;
    this.detail = details.detail;
    this.url = details.url;
  }
}

/** A failure in the local content store (blobs, index, locks). */
export class StoreError extends OcikitError {}

/** An image that is not in the store, or an image operation that cannot be done. */
export class ImageError extends OcikitError {}

/**
 * `ERR_IMAGE_USED_BY_CONTAINER`: removing the reference would leave containers without their
 * image (Docker's "conflict: unable to remove repository reference"); remove it with `force`.
 */
export class ImageInUseError extends ImageError {
  /** Ids (64 hex digits) of the containers created from the image. */
  readonly containers: readonly string[];

  constructor(message: string, containers: readonly string[], options: OcikitErrorOptions = {}) {
    super('ERR_IMAGE_USED_BY_CONTAINER', message, options);
    this.containers = Object.freeze([...containers]);
  }
}

/** A layer that cannot be unpacked or produced safely. */
export class LayerError extends OcikitError {
  /** Path of the offending tar entry, when the error concerns one. */
  readonly entry: string | undefined;

  constructor(code: string, message: string, options: OcikitErrorOptions & { entry?: string } = {}) {
    super(code, message, options);
    this.entry = options.entry;
  }
}

/** A container runtime failure that is not a single failed system call. */
export class RuntimeError extends OcikitError {}

/** Details carried by a {@link SyscallError}. */
export interface SyscallErrorDetails extends OcikitErrorOptions {
  /** Numeric errno. */
  errno: number;
  /** The system call or step that failed, such as `pivot_root` or `mount`. */
  syscall: string;
  /** The path the call was working on, when there was one. */
  path?: string;
  /** Symbolic errno name such as `EPERM`, when known. */
  errnoName?: string;
  /** What went wrong in words, when the errno alone does not say (`swap needs a memory limit`). */
  detail?: string;
}

/**
 * A system call that failed in the native runtime. Errors raised in Rust cross
 * the Node-API boundary as this class.
 */
export class SyscallError extends RuntimeError {
  /** Numeric errno. */
  readonly errno: number;
  /** The system call or step that failed. */
  readonly syscall: string;
  /** Path involved, if any. */
  readonly path: string | undefined;
  /** What went wrong in words, when the errno alone does not say (also part of `message`). */
  readonly detail: string | undefined;

  constructor(message: string, details: SyscallErrorDetails) {
    super(details.errnoName ?? 'ERR_SYSCALL', message, details);
    this.errno = details.errno;
    this.syscall = details.syscall;
    this.path = details.path;
    this.detail = details.detail;
  }
}

/** The compiled native addon is missing or cannot be loaded. */
export class NativeLoadError extends OcikitError {}

/**
 * A command line that cannot be understood: an unknown flag, a missing or bad
 * value, a wrong number of arguments. `code` is `ERR_CLI_USAGE` (or a more
 * specific `ERR_CLI_*`); `verb` names the command whose help explains the usage.
 */
export class CliError extends OcikitError {
  /** The verb being parsed, such as `run` or `volume create`, when known. */
  readonly verb: string | undefined;

  constructor(message: string, options: OcikitErrorOptions & { code?: string; verb?: string } = {}) {
    super(options.code ?? 'ERR_CLI_USAGE', message, options);
    this.verb = options.verb;
  }
}

/** A volume that does not exist, is in use, or cannot be created, mounted or removed. */
export class VolumeError extends OcikitError {
  /** Name of the volume concerned, when there is one. */
  readonly volume: string | undefined;

  constructor(code: string, message: string, options: OcikitErrorOptions & { volume?: string } = {}) {
    super(code, message, options);
    this.volume = options.volume;
  }
}

/** A container that cannot be found, configured or recorded as asked. */
export class ContainerError extends OcikitError {}

/** A snapshot (unpacked layer or container rootfs) that cannot be prepared, mounted or removed. */
export class SnapshotError extends OcikitError {}

/**
 * What ocikit cannot do without root yet: create, start or exec into
 * containers (namespaces, mounts, cgroups), or write a storage root the user
 * may not write. `code` is `ERR_ROOT_REQUIRED`.
 */
export class RootRequiredError extends OcikitError {
  /** What was attempted, such as `container create`, when known. */
  readonly operation: string | undefined;

  constructor(operation?: string, options: OcikitErrorOptions = {}) {
    super('ERR_ROOT_REQUIRED', 'ocikit needs root (rootless mode is not available yet)', options);
    this.operation = operation;
  }
}
