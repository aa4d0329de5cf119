/**
 * ocikit: Docker's job without a daemon, as a library.
 *
 * ```ts
 * import { Image, Container, Registry, info } from 'ocikit';
 * ```
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
} from './errors.js';
export * from './reference/index.js';
export * from './oci/index.js';
export * from './native/index.js';
export * from './registry/index.js';
export * from './image/index.js';
export * from './layer/index.js';
export * from './snapshot/index.js';
export * from './container/index.js';
export * from './volume/index.js';
