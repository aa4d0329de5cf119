/**
 * Errors thrown by ocikit. Every error is an {@link OcikitError} with a stable
 * machine-readable `code`; each area has its own subclass so callers can catch
 * by kind (`instanceof RegistryError`) or switch on `code` (the codes of each
 * class are listed in `error-codes`, as constants and as a union type).
 *
 * `instanceof` works by brand, not by prototype: an error thrown by one copy of
 * ocikit (two versions in one `node_modules`, or another realm) is `instanceof`
 * the other copy's classes.
 *
 * @module
 */
import type {
  CliErrorCode,
  ContainerErrorCode,
  ImageErrorCode,
  LayerErrorCode,
  NativeLoadErrorCode,
  RegistryErrorCode,
  RuntimeErrorCode,
  SnapshotErrorCode,
  StoreErrorCode,
  SyscallErrorCode,
  VolumeErrorCode,
} from './error-codes.js';
import { BRAND, OcikitError, type OcikitErrorOptions } from './error-base.js';

export * from './error-codes.js';
export {
  OcikitError,
  type OcikitErrorOptions,
  AbortError,
  InvalidReferenceError,
  InvalidDigestError,
  DigestMismatchError,
} from './error-base.js';

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
  /** @internal */
  static override readonly [BRAND]: string = 'RegistryError';
  /** Stable identifier of the failure; one of RegistryErrorCode. */
  declare readonly code: RegistryErrorCode;

  /** HTTP status, when the failure came from a response. */
  readonly status: number | undefined;
  /** Error code from the registry's `{"errors":[…]}` body, if any. */
  readonly registryCode: string | undefined;
  /** Detail from the registry's error body, if any. */
  readonly detail: unknown;
  /** URL of the request that failed, if any. */
  readonly url: string | undefined;

  constructor(code: RegistryErrorCode, message: string, details: RegistryErrorDetails = {}) {
    super(code, message, details);
    this.status = details.status;
    this.registryCode = details.registryCode;
    this.detail = details.detail;
    this.url = details.url;
  }
}

/** A failure in the local content store (blobs, index, locks). */
export class StoreError extends OcikitError {
  /** @internal */
  static override readonly [BRAND]: string = 'StoreError';
  /** Stable identifier of the failure; one of StoreErrorCode. */
  declare readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options: OcikitErrorOptions = {}) {
    super(code, message, options);
  }
}

/** An image that is not in the store, or an image operation that cannot be done. */
export class ImageError extends OcikitError {
  /** @internal */
  static override readonly [BRAND]: string = 'ImageError';
  /** Stable identifier of the failure; one of ImageErrorCode. */
  declare readonly code: ImageErrorCode;

  constructor(code: ImageErrorCode, message: string, options: OcikitErrorOptions = {}) {
    super(code, message, options);
  }
}

/**
 * `ERR_IMAGE_USED_BY_CONTAINER`: removing the reference would leave containers without their
 * image (Docker's "conflict: unable to remove repository reference"); remove it with `force`.
 */
export class ImageInUseError extends ImageError {
  /** @internal */
  static override readonly [BRAND]: string = 'ImageInUseError';
  /** Stable identifier of the failure; one of 'ERR_IMAGE_USED_BY_CONTAINER'. */
  declare readonly code: 'ERR_IMAGE_USED_BY_CONTAINER';

  /** Ids (64 hex digits) of the containers created from the image. */
  readonly containers: readonly string[];

  constructor(message: string, containers: readonly string[], options: OcikitErrorOptions = {}) {
    super('ERR_IMAGE_USED_BY_CONTAINER', message, options);
    this.containers = Object.freeze([...containers]);
  }
}

/** A layer that cannot be unpacked or produced safely. */
export class LayerError extends OcikitError {
  /** @internal */
  static override readonly [BRAND]: string = 'LayerError';
  /** Stable identifier of the failure; one of LayerErrorCode. */
  declare readonly code: LayerErrorCode;

  /** Path of the offending tar entry, when the error concerns one. */
  readonly entry: string | undefined;

  constructor(code: LayerErrorCode, message: string, options: OcikitErrorOptions & { entry?: string } = {}) {
    super(code, message, options);
    this.entry = options.entry;
  }
}

/** A container runtime failure that is not a single failed system call. */
export class RuntimeError extends OcikitError {
  /** @internal */
  static override readonly [BRAND]: string = 'RuntimeError';
  /** Stable identifier of the failure; one of RuntimeErrorCode | SyscallErrorCode. */
  declare readonly code: RuntimeErrorCode | SyscallErrorCode;

  constructor(code: RuntimeErrorCode | SyscallErrorCode, message: string, options: OcikitErrorOptions = {}) {
    super(code, message, options);
  }
}

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
  /** @internal */
  static override readonly [BRAND]: string = 'SyscallError';
  /** Stable identifier of the failure; one of SyscallErrorCode. */
  declare readonly code: SyscallErrorCode;

  /** Numeric errno. */
  readonly errno: number;
  /** The system call or step that failed. */
  readonly syscall: string;
  /** Path involved, if any. */
  readonly path: string | undefined;
  /** What went wrong in words, when the errno alone does not say (also part of `message`). */
  readonly detail: string | undefined;

  constructor(message: string, details: SyscallErrorDetails) {
    super(syscallCode(details.errnoName), message, details);
    this.errno = details.errno;
    this.syscall = details.syscall;
    this.path = details.path;
    this.detail = details.detail;
  }
}

function syscallCode(name: string | undefined): SyscallErrorCode {
  return name !== undefined && /^E[A-Z0-9]+$/.test(name) ? (name as SyscallErrorCode) : 'ERR_SYSCALL';
}

/** The compiled native addon is missing or cannot be loaded. */
export class NativeLoadError extends OcikitError {
  /** @internal */
  static override readonly [BRAND]: string = 'NativeLoadError';
  /** Stable identifier of the failure; one of NativeLoadErrorCode. */
  declare readonly code: NativeLoadErrorCode;

  constructor(code: NativeLoadErrorCode, message: string, options: OcikitErrorOptions = {}) {
    super(code, message, options);
  }
}

/**
 * A command line that cannot be understood: an unknown flag, a missing or bad
 * value, a wrong number of arguments. `code` is `ERR_CLI_USAGE` (or a more
 * specific `ERR_CLI_*`); `verb` names the command whose help explains the usage.
 */
export class CliError extends OcikitError {
  /** @internal */
  static override readonly [BRAND]: string = 'CliError';
  /** Stable identifier of the failure; one of CliErrorCode. */
  declare readonly code: CliErrorCode;

  /** The verb being parsed, such as `run` or `volume create`, when known. */
  readonly verb: string | undefined;

  constructor(message: string, options: OcikitErrorOptions & { code?: CliErrorCode; verb?: string } = {}) {
    super(options.code ?? 'ERR_CLI_USAGE', message, options);
    this.verb = options.verb;
  }
}

/** A volume that does not exist, is in use, or cannot be created, mounted or removed. */
export class VolumeError extends OcikitError {
  /** @internal */
  static override readonly [BRAND]: string = 'VolumeError';
  /** Stable identifier of the failure; one of VolumeErrorCode. */
  declare readonly code: VolumeErrorCode;

  /** Name of the volume concerned, when there is one. */
  readonly volume: string | undefined;

  constructor(code: VolumeErrorCode, message: string, options: OcikitErrorOptions & { volume?: string } = {}) {
    super(code, message, options);
    this.volume = options.volume;
  }
}

/** A container that cannot be found, configured or recorded as asked. */
export class ContainerError extends OcikitError {
  /** @internal */
  static override readonly [BRAND]: string = 'ContainerError';
  /** Stable identifier of the failure; one of ContainerErrorCode. */
  declare readonly code: ContainerErrorCode;

  constructor(code: ContainerErrorCode, message: string, options: OcikitErrorOptions = {}) {
    super(code, message, options);
  }
}

/** A snapshot (unpacked layer or container rootfs) that cannot be prepared, mounted or removed. */
export class SnapshotError extends OcikitError {
  /** @internal */
  static override readonly [BRAND]: string = 'SnapshotError';
  /** Stable identifier of the failure; one of SnapshotErrorCode. */
  declare readonly code: SnapshotErrorCode;

  constructor(code: SnapshotErrorCode, message: string, options: OcikitErrorOptions = {}) {
    super(code, message, options);
  }
}

/**
 * What ocikit cannot do without root yet: create, start or exec into
 * containers (namespaces, mounts, cgroups), or write a storage root the user
 * may not write. `code` is `ERR_ROOT_REQUIRED`.
 */
export class RootRequiredError extends OcikitError {
  /** @internal */
  static override readonly [BRAND]: string = 'RootRequiredError';
  /** Stable identifier of the failure; one of 'ERR_ROOT_REQUIRED'. */
  declare readonly code: 'ERR_ROOT_REQUIRED';

  /** What was attempted, such as `container create`, when known. */
  readonly operation: string | undefined;

  constructor(operation?: string, options: OcikitErrorOptions = {}) {
    super('ERR_ROOT_REQUIRED', 'ocikit needs root (rootless mode is not available yet)', options);
    this.operation = operation;
  }
}
