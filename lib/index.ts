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
export { info, type HostInfo, type InfoOptions, type CgroupHierarchyInfo, type ExitStatus } from './native/index.js';
export {
  Image,
  type PullOptions,
  type PushOptions,
  type RemoveOptions,
  type SaveOptions,
  type StoreOptions,
  type ArchiveFormat,
  type ProgressEvent,
  type ProgressListener,
  type ProgressState,
  type ImageInspect,
  type HistoryItem,
  type ImportOptions,
} from './image/index.js';
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
export {
  Container,
  type ContainerOptions,
  type MountOption,
  type BindMountOption,
  type VolumeMountOption,
  type TmpfsMountOption,
  type MountPropagation,
  type UlimitOption,
  type NetworkMode,
  type RunOptions,
  type WaitResult,
  type ContainerStopOptions,
  type ContainerTopOptions,
  type ContainerRemoveOptions,
  type ContainerListOptions,
  type AttachedStreams,
  type ExecOptions,
  type ExecResult,
  type ExecProcess,
  type LogLine,
  type LogsOptions,
  type AttachOptions,
  type ContainerInspect,
  type ContainerTop,
  type ContainerStats,
  type ContainerStatus,
  type CopyFromOptions,
  type CopyToOptions,
  type PathStat,
  type CommitOptions,
  type PortMapping,
} from './container/index.js';
export {
  Volume,
  ANONYMOUS_VOLUME_LABEL,
  type VolumeCreateOptions,
  type VolumeRemoveOptions,
  type VolumeListOptions,
  type VolumePruneOptions,
  type VolumeInspect,
} from './volume/index.js';
export type { Digest, Platform, Descriptor, ImageManifest, ImageIndex, ImageConfig, ContainerConfig, HistoryEntry } from './oci/index.js';
