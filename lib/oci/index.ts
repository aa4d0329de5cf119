/**
 * Public API of the oci area: digests, descriptors, manifests, configs, runtime spec.
 *
 * @module
 */
export {
  type Digest,
  type DigestAlgorithm,
  type ParsedDigest,
  parseDigest,
  toDigest,
  isDigest,
  digestOf,
  DigestStream,
  VerifyingStream,
} from './digest.js';
export {
  MediaType,
  type KnownMediaType,
  type LayerCompression,
  MANIFEST_MEDIA_TYPES,
  INDEX_MEDIA_TYPES,
  isManifestMediaType,
  isIndexMediaType,
  layerCompression,
} from './media-types.js';
export type {
  Platform,
  Descriptor,
  ImageManifest,
  ImageIndex,
  ContainerConfig,
  HistoryEntry,
  ImageConfig,
  LayoutIndex,
} from './image-types.js';
export {
  RUNTIME_SPEC_VERSION,
  DEFAULT_CAPABILITIES,
  DEFAULT_MASKED_PATHS,
  DEFAULT_READONLY_PATHS,
  defaultMounts,
} from './runtime-spec.js';
export type {
  RuntimeSpec,
  RuntimeProcess,
  RuntimeUser,
  RuntimeCapabilities,
  RuntimeRlimit,
  ConsoleSize,
  RuntimeRoot,
  RuntimeMount,
  RuntimeHook,
  RuntimeHooks,
  LinuxConfig,
  LinuxNamespace,
  LinuxNamespaceType,
  LinuxIdMapping,
  LinuxResources,
  LinuxDeviceCgroup,
  LinuxMemory,
  LinuxCpu,
  LinuxPids,
  LinuxBlockIO,
  LinuxWeightDevice,
  LinuxThrottleDevice,
  LinuxHugepageLimit,
  LinuxNetwork,
  LinuxSeccomp,
  LinuxSeccompAction,
  LinuxSeccompOperator,
  LinuxSeccompArg,
  LinuxSyscall,
  LinuxDevice,
  LinuxPersonality,
} from './runtime-spec.js';
export { CONFIG_LIMITS, type EntryLimit } from './limits.js';
export { InvalidDigestError, DigestMismatchError } from '../errors.js';
export { hostPlatform, parsePlatform, formatPlatform, checkPlatform, KNOWN_OS, KNOWN_ARCHITECTURES } from '../image/platform.js';
export { applyConfigChanges } from '../image/config-changes.js';
