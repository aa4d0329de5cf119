/**
 * ocikit: Docker's job without a daemon, as a library.
 *
 * ```ts
 * import { Image, Container, Registry, Volume, info } from 'ocikit';
 * ```
 *
 * This entry holds what an application calls: the classes, their option and result types, the
 * errors and {@link info}. Lower-level parts have their own entries: `ocikit/reference`,
 * `ocikit/oci`, `ocikit/registry`, `ocikit/layer` and `ocikit/snapshot`.
 *
 * @packageDocumentation
 */
export {
  OcikitError,
  type OcikitErrorOptions,
  AbortError,
  InvalidReferenceError,
  InvalidDigestError,
  DigestMismatchError,
  RegistryError,
  type RegistryErrorDetails,
  StoreError,
  ImageError,
  ImageInUseError,
  LayerError,
  RuntimeError,
  SyscallError,
  type SyscallErrorDetails,
  NativeLoadError,
  RootRequiredError,
  ContainerError,
  VolumeError,
  SnapshotError,
  OcikitErrorCode,
  RegistryErrorCode,
  StoreErrorCode,
  ImageErrorCode,
  LayerErrorCode,
  RuntimeErrorCode,
  type SyscallErrorCode,
  NativeLoadErrorCode,
  VolumeErrorCode,
  ContainerErrorCode,
  SnapshotErrorCode,
  type CliErrorCode,
} from './errors.js';
export * from './native/index.js';
export * from './image/index.js';
export {
  Registry,
  type ListOptions,
  type BlobReadOptions,
  type RegistryOptions,
  type RegistryCredentials,
  type RetryOptions,
  type BlobSource,
  type UploadResult,
  type FetchedManifest,
  type SearchResult,
  type SearchOptions,
} from './registry/index.js';
export * from './container/index.js';
export * from './volume/index.js';
export type { Digest, Platform, Descriptor, ImageManifest, ImageIndex, ImageConfig, ContainerConfig, HistoryEntry } from './oci/index.js';
