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
export {
  Container,
  type RunOptions,
  type WaitResult,
  type ContainerStopOptions,
  type ContainerTopOptions,
  type ContainerRemoveOptions,
  type ContainerListOptions,
  type AttachedStreams,
} from './container.js';
export type { ExecOptions, ExecResult, ExecProcess } from './exec.js';
export type { LogLine, LogsOptions } from './logs.js';
export type { AttachOptions } from './attach.js';
export type { ContainerInspect, ContainerTop, ContainerStats } from './inspect.js';
export type { ContainerStatus } from './state.js';
export { ContainerError } from '../errors.js';
export type { CopyFromOptions, CopyToOptions, PathStat } from './copy.js';
export type { CommitOptions } from './commit.js';
export type { PortMapping } from './port.js';
