/**
 * Public API of the container area; lib/index.ts re-exports it.
 *
 * @module
 */
export type {
  ContainerOptions,
  MountOption,
  BindMountOption,
  VolumeMountOption,
  TmpfsMountOption,
  MountPropagation,
  UlimitOption,
  NetworkMode,
} from './options.js';
