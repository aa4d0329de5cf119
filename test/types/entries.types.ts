// Pins the runtime names of every public entry: adding, renaming or dropping an export fails
// `npm run typecheck` until this list is changed with it (and the rename goes into the notes).
import type * as Main from '../../lib/index.js';
import type * as Layer from '../../lib/layer/index.js';
import type * as Oci from '../../lib/oci/index.js';
import type * as Reference from '../../lib/reference/index.js';
import type * as Registry from '../../lib/registry/index.js';
import type * as Snapshot from '../../lib/snapshot/index.js';
import type { Equal, Expect } from './equal.js';

type MainNames =
  | 'ANONYMOUS_VOLUME_LABEL' | 'AbortError' | 'Container' | 'ContainerError' | 'DigestMismatchError' | 'Image'
  | 'ImageError' | 'ImageInUseError' | 'InvalidDigestError' | 'InvalidReferenceError' | 'LayerError'
  | 'NativeLoadError' | 'OcikitError' | 'Registry' | 'RegistryError' | 'RootRequiredError' | 'RuntimeError'
  | 'SnapshotError' | 'StoreError' | 'SyscallError' | 'Volume' | 'VolumeError' | 'info'
  | 'OcikitErrorCode' | 'RegistryErrorCode' | 'StoreErrorCode' | 'ImageErrorCode' | 'LayerErrorCode'
  | 'RuntimeErrorCode' | 'NativeLoadErrorCode' | 'VolumeErrorCode' | 'ContainerErrorCode' | 'SnapshotErrorCode';
type ReferenceNames =
  | 'DEFAULT_TAG' | 'DOCKER_HUB_DOMAIN' | 'DOCKER_HUB_REGISTRY' | 'InvalidReferenceError' | 'Reference'
  | 'isLoopback' | 'parseReference';
type OciNames =
  | 'CONFIG_LIMITS' | 'DEFAULT_CAPABILITIES' | 'DEFAULT_MASKED_PATHS' | 'DEFAULT_READONLY_PATHS'
  | 'DigestMismatchError' | 'DigestStream' | 'INDEX_MEDIA_TYPES' | 'InvalidDigestError' | 'KNOWN_ARCHITECTURES'
  | 'KNOWN_OS' | 'MANIFEST_MEDIA_TYPES' | 'MediaType' | 'RUNTIME_SPEC_VERSION' | 'VerifyingStream'
  | 'applyConfigChanges' | 'checkPlatform' | 'defaultMounts' | 'digestOf' | 'formatPlatform' | 'hostPlatform'
  | 'isDigest' | 'isIndexMediaType' | 'isManifestMediaType' | 'layerCompression' | 'parseDigest' | 'parsePlatform'
  | 'toDigest';
type RegistryNames = 'MANIFEST_ACCEPT' | 'MAX_MANIFEST_BYTES' | 'Registry' | 'bufferSource' | 'fileSource';
type LayerNames =
  | 'LayerChanges' | 'LayerError' | 'addHistory' | 'appendLayers' | 'applyLayer' | 'diffDirectories'
  | 'diffOverlay' | 'exportRootfs' | 'importTar' | 'setConfig' | 'setConfigDescriptor' | 'unpackLayers';
type SnapshotNames =
  | 'CopySnapshotter' | 'OverlaySnapshotter' | 'SnapshotError' | 'chainIds' | 'createSnapshotter' | 'mountOverlay'
  | 'mountOverlayAsync' | 'overlayOptions' | 'overlaySupported' | 'unmount' | 'unmountAsync';

export type EntryNames = [
  Expect<Equal<keyof typeof Main, MainNames>>,
  Expect<Equal<keyof typeof Reference, ReferenceNames>>,
  Expect<Equal<keyof typeof Oci, OciNames>>,
  Expect<Equal<keyof typeof Registry, RegistryNames>>,
  Expect<Equal<keyof typeof Layer, LayerNames>>,
  Expect<Equal<keyof typeof Snapshot, SnapshotNames>>,
];

// The type-only exports of the main entry: a rename or removal fails here.
export type MainTypes = [
  Main.OcikitErrorOptions, Main.RegistryErrorDetails, Main.SyscallErrorDetails, Main.HostInfo, Main.InfoOptions,
  Main.CgroupHierarchyInfo, Main.ExitStatus, Main.PullOptions, Main.PushOptions, Main.RemoveOptions,
  Main.SaveOptions, Main.StoreOptions, Main.ArchiveFormat, Main.ProgressEvent, Main.ProgressListener,
  Main.ProgressState, Main.ImageInspect, Main.HistoryItem, Main.ImportOptions, Main.ListOptions,
  Main.BlobReadOptions, Main.RegistryOptions, Main.RegistryCredentials, Main.RetryOptions, Main.BlobSource,
  Main.UploadResult, Main.FetchedManifest, Main.SearchResult, Main.SearchOptions, Main.ContainerOptions,
  Main.MountOption, Main.BindMountOption, Main.VolumeMountOption, Main.TmpfsMountOption, Main.MountPropagation,
  Main.UlimitOption, Main.NetworkMode, Main.RunOptions, Main.WaitResult, Main.ContainerStopOptions,
  Main.ContainerTopOptions, Main.ContainerRemoveOptions, Main.ContainerListOptions, Main.AttachedStreams,
  Main.ExecOptions, Main.ExecResult, Main.ExecProcess, Main.LogLine, Main.LogsOptions, Main.AttachOptions,
  Main.ContainerInspect, Main.ContainerTop, Main.ContainerStats, Main.ContainerStatus, Main.CopyFromOptions,
  Main.CopyToOptions, Main.PathStat, Main.CommitOptions, Main.PortMapping, Main.VolumeCreateOptions,
  Main.VolumeRemoveOptions, Main.VolumeListOptions, Main.VolumePruneOptions, Main.VolumeInspect, Main.Digest,
  Main.Platform, Main.Descriptor, Main.ImageManifest, Main.ImageIndex, Main.ImageConfig, Main.ContainerConfig,
  Main.HistoryEntry, Main.SyscallErrorCode, Main.CliErrorCode,
];
