/**
 * Loads the compiled addon (the only place that does) and declares the narrow binding it exports.
 *
 * The build (`npm run build:native`) puts `ocikit.linux-<arch>-<libc>.node` (napi-rs's naming,
 * libc `gnu` or `musl`) and `ocikit-monitor` in
 * `lib/native/`. They are found relative to this module as `../../lib/native/`, which names the same
 * directory from `lib/native/` (sources under ts-jest) and from `dist/native/` (the built package).
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { NativeLoadError } from '../errors.js';
import { logger } from '../log.js';

const log = logger('native');

/** `uname(2)` fields as the addon returns them. */
export interface NativeUname {
  sysname: string;
  nodename: string;
  release: string;
  version: string;
  machine: string;
}

/** The functions the addon exports; arguments are checked again in Rust. */
export interface NativeBinding {
  uname(): NativeUname;
  ids(): { uid: number; euid: number };
  mknod(path: string, mode: number, major: number, minor: number): void;
  lsetxattr(path: string, name: string, value: Buffer | string, flags: number): void;
  lgetxattr(path: string, name: string): Buffer | null;
  llistxattr(path: string): string[];
  mount(source: string | null, target: string, fstype: string | null, flags: number, data: string | null): void;
  umount2(target: string, flags: number): void;
  mountAsync(source: string | null, target: string, fstype: string | null, flags: number, data: string | null): Promise<void>;
  umount2Async(target: string, flags: number): Promise<void>;
  openInRoot(rootFd: number, path: string, flags: number, mode: number): number;
  mkdirAt(dirFd: number, name: string, mode: number): void;
  symlinkAt(target: string, dirFd: number, name: string): void;
  unlinkAt(dirFd: number, name: string, removeDir: boolean): void;
  linkAt(oldDirFd: number, oldName: string, newDirFd: number, newName: string): void;
  mknodAt(dirFd: number, name: string, mode: number, major: number, minor: number): void;
  readlinkAt(dirFd: number, name: string): string;
  lchownAt(dirFd: number, name: string, uid: number, gid: number): void;
  lutimesAt(dirFd: number, name: string, mtimeMs: number): void;
  readdirFd(dirFd: number): string[];
  setExitHandler(handler: (id: number, pid: number, exitCode: number, signal: number) => void): number;
  spawn(specJson: string, options: NativeSpawnOptions): NativeStarted;
  exec(initId: number, specJson: string, options: NativeSpawnOptions): NativeStarted;
  kill(id: number, signal: number): void;
  resizePty(fd: number, rows: number, cols: number): void;
  cgroupCreate(name: string, resourcesJson: string | null): Promise<string[]>;
  cgroupOpen(name: string): string[];
  cgroupFreeze(dirs: string[], signal?: AbortSignal): Promise<void>;
  cgroupThaw(dirs: string[], signal?: AbortSignal): Promise<void>;
  cgroupStats(dirs: string[]): NativeCgroupStats;
  cgroupOomKilled(dirs: string[]): boolean;
  cgroupKillAll(dirs: string[], signal: number, abort?: AbortSignal): Promise<void>;
  cgroupProcs(dirs: string[]): number[];
  cgroupRemove(dirs: string[], parentLevels: number, signal?: AbortSignal): Promise<void>;
  /** Signals `pid` through a pidfd if its start time is still `startTime`; false when gone. */
  signalChecked(pid: number, startTime: number | null, signal: number): boolean;
  /** Start time of `pid` in clock ticks since boot (`/proc/<pid>/stat` field 22), null when gone. */
  /** A pidfd on `pid` (if it still started at `startTime`) handed to the reaper: its id, null when gone. */
  adopt(pid: number, startTime: number | null): number | null;
  /** Starts `ocikit-monitor` by posix_spawn (no fork of Node); the reaper reaps it. */
  spawnMonitor(path: string, args: string[]): { pid: number; stdout: number };
}

/**
 * Every function of {@link NativeBinding}, by name: the compiler checks that this lists exactly the
 * interface, a test that it lists exactly what the loaded addon exports.
 */
export const NATIVE_FUNCTIONS = Object.keys({
  uname: true, ids: true, mknod: true, lsetxattr: true, lgetxattr: true, llistxattr: true, mount: true, umount2: true,
  mountAsync: true, umount2Async: true, openInRoot: true, mkdirAt: true, symlinkAt: true, unlinkAt: true, linkAt: true,
  mknodAt: true, readlinkAt: true,
  lchownAt: true, lutimesAt: true, readdirFd: true, setExitHandler: true, spawn: true, exec: true, kill: true,
  resizePty: true, cgroupCreate: true, cgroupOpen: true, cgroupFreeze: true, cgroupThaw: true, cgroupStats: true,
  cgroupOomKilled: true, cgroupKillAll: true, cgroupProcs: true, cgroupRemove: true, signalChecked: true,
  adopt: true, spawnMonitor: true,
} satisfies Record<keyof NativeBinding, true>) as readonly (keyof NativeBinding)[];

/** What `cgroupStats` returns (null: unlimited or not reported). */
export interface NativeCgroupStats {
  memory: { usage: number; maxUsage: number | null; limit: number | null; cache: number };
  cpu: { usageNs: number };
  pids: { current: number; limit: number | null };
}

/** Options of the addon's `spawn`/`exec`. */
export interface NativeSpawnOptions {
  stdio: [number, number, number];
  /** The number `setExitHandler` returned in this environment. */
  exitHandler: number;
  cgroupProcs?: string[];
  pdeathsig?: number;
  defaultSeccomp?: boolean;
}

/** A process the addon started; `id` names it for `kill`/`exec` and in exit events. */
export interface NativeStarted {
  id: number;
  pid: number;
  ptyMaster: number | null;
}

/** Directory holding the addon and the monitor binary. */
export function nativeDir(): string {
  return fileURLToPath(new URL('../../lib/native/', import.meta.url));
}

interface ReportHeader {
  glibcVersionRuntime?: string;
}

/** `gnu` or `musl`: the C library this Node runs on (as napi-rs packages tell: glibc reports its version). */
export function libcName(): 'gnu' | 'musl' {
  // a report takes a few ms: asked once
  libc ??= (process.report.getReport() as { header?: ReportHeader }).header?.glibcVersionRuntime ? 'gnu' : 'musl';
  return libc;
}
let libc: 'gnu' | 'musl' | undefined;

/** File name of the addon for this platform, CPU and C library. */
export function addonFileName(): string {
  return `ocikit.${process.platform}-${process.arch}-${libcName()}.node`;
}

/** Absolute path of the `ocikit-monitor` binary (detached containers). */
export function monitorPath(): string {
  return `${nativeDir()}ocikit-monitor`;
}

let loaded: NativeBinding | undefined;

/** The addon, loaded on first use; throws {@link NativeLoadError} when it is missing or broken. */
export function native(): NativeBinding {
  if (loaded) return loaded;
  if (process.platform !== 'linux') {
    throw new NativeLoadError('ERR_NATIVE_PLATFORM', `ocikit's runtime needs Linux (this is ${process.platform})`);
  }
  const file = `${nativeDir()}${addonFileName()}`;
  if (!existsSync(file)) {
    throw new NativeLoadError(
      'ERR_NATIVE_MISSING',
      `the native addon ${file} is missing: build it with \`npm run build:native\` (needs Rust's cargo)`,
    );
  }
  try {
    const require = createRequire(import.meta.url);
    loaded = require(file) as NativeBinding;
  } catch (cause) {
    throw new NativeLoadError('ERR_NATIVE_LOAD', `cannot load the native addon ${file}: ${String(cause)}`, {
      cause,
    });
  }
  log('loaded %s', file);
  return loaded;
}

let availability: boolean | undefined;

/**
 * Whether the addon loads here. Callers with a slower fallback (the `mount` or `setfattr`
 * commands) use it; a broken addon (anything but a {@link NativeLoadError}) still throws.
 */
export function nativeAvailable(): boolean {
  if (availability === undefined) {
    try {
      native();
      availability = true;
    } catch (err) {
      if (!(err instanceof NativeLoadError)) throw err;
      log('native addon unavailable (%s)', err.code);
      availability = false;
    }
  }
  return availability;
}
