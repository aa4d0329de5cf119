/**
 * The options a user gives when creating or running a container: the
 * `docker run` flags, as one plain object.
 *
 * @module
 */

/** Mount propagation of a bind mount (`docker run --mount bind-propagation=…`). */
export type MountPropagation = 'private' | 'rprivate' | 'shared' | 'rshared' | 'slave' | 'rslave';

/** A host directory or file bound into the container (`--mount type=bind` / `-v /host:/ctr`). */
export interface BindMountOption {
  type: 'bind';
  /** Absolute host path; it must exist. */
  source: string;
  /**
   * Absolute path inside the container. As runc, `/proc` and paths under it are refused
   * (`ERR_INVALID_MOUNT`), except `/proc` itself from the root of a procfs and the files
   * LXCFS emulates (`/proc/meminfo`, `/proc/cpuinfo`, `/proc/stat`, `/proc/uptime`…).
   */
  target: string;
  /** Mount read-only (`readonly` / `:ro`). */
  readonly?: boolean;
  /** Propagation of the mount; default `rprivate`. */
  propagation?: MountPropagation;
}

/** A named or anonymous volume (`--mount type=volume` / `-v name:/ctr`). */
export interface VolumeMountOption {
  type: 'volume';
  /** Volume name; omitted for an anonymous volume, removed with the container when `rm` is set. */
  source?: string;
  /** Absolute path inside the container. */
  target: string;
  /** Mount read-only. */
  readonly?: boolean;
}

/** A tmpfs in the container (`--tmpfs` / `--mount type=tmpfs`). */
export interface TmpfsMountOption {
  type: 'tmpfs';
  /** Absolute path inside the container. */
  target: string;
  /** Size limit in bytes (`tmpfs-size`); unlimited (half the RAM) when omitted. */
  size?: number;
  /** Permission bits of the tmpfs root (`tmpfs-mode`), such as `0o1777` (the default). */
  mode?: number;
}

/** One mount of a container. */
export type MountOption = BindMountOption | VolumeMountOption | TmpfsMountOption;

/** One resource limit (`--ulimit nofile=1024:2048`). */
export interface UlimitOption {
  /** Name without the `RLIMIT_` prefix, lower case: `nofile`, `nproc`, `core`, `stack`, `memlock` … */
  name: string;
  /** Soft limit; `-1` for unlimited. */
  soft: number;
  /** Hard limit; `-1` for unlimited. Never above the caller's own hard limit. */
  hard: number;
}

/** The networking of a container (`--network`). */
export type NetworkMode = 'none' | 'host';

/** Options of `Container.create` / `Container.run`, named after the `docker run` flags. */
export interface ContainerOptions {
  /** Command and arguments (`docker run IMAGE CMD…`); replaces the image's `Cmd`. An empty array keeps it. */
  cmd?: string[];
  /**
   * Replaces the image's `Entrypoint` (`--entrypoint`) and clears its `Cmd`. A string is one
   * program path (not split); `null`, `''` or `[]` clear the entrypoint (`--entrypoint ""`).
   */
  entrypoint?: string[] | string | null;
  /**
   * Environment added to the image's (`-e K=V`); a key set here replaces the image's. As a
   * list, a bare `K` takes the caller's `K` when set and otherwise removes `K` (`-e K`).
   */
  env?: Record<string, string> | string[];
  /** Absolute working directory (`-w`, `--workdir`); default the image's `WorkingDir`, else `/`. */
  workdir?: string;
  /** User as `uid`, `uid:gid`, `name` or `name:group` (`-u`, `--user`); default the image's `User`, else root. */
  user?: string;
  /** Container name (`--name`), unique on this storage root; a random `adjective_surname` when omitted. */
  name?: string;
  /** Host name (`-h`, `--hostname`); default the first 12 characters of the id. */
  hostname?: string;
  /** Extra `/etc/hosts` entries as `name:ip` (`--add-host`). */
  extraHosts?: string[];
  /** Labels added to the image's (`-l`, `--label`). */
  labels?: Record<string, string>;
  /** Remove the container and its anonymous volumes when it exits (`--rm`). */
  rm?: boolean;
  /** The Engine API name of {@link ContainerOptions.rm} (`HostConfig.AutoRemove`); either turns it on. */
  autoRemove?: boolean;
  /** Bind mounts, volumes and tmpfs mounts (`--mount`, `-v`, `--tmpfs`). */
  mounts?: MountOption[];
  /** Mount the root filesystem read-only (`--read-only`). */
  readonlyRootfs?: boolean;
  /** Memory limit in bytes (`-m`, `--memory`); at least 6 MiB. */
  memory?: number;
  /** Memory plus swap in bytes (`--memory-swap`); `-1` unlimited; default twice `memory`. */
  memorySwap?: number;
  /** CPUs as a fraction (`--cpus 1.5`): a CFS quota over a 100 ms period. */
  cpus?: number;
  /** Relative CPU weight (`-c`, `--cpu-shares`). */
  cpuShares?: number;
  /** Largest number of processes (`--pids-limit`); `0` or `-1` unlimited. */
  pidsLimit?: number;
  /** Capabilities added to Docker's default set (`--cap-add`); `'ALL'` adds every one. */
  capAdd?: string[];
  /** Capabilities removed (`--cap-drop`); `'ALL'` starts from none. */
  capDrop?: string[];
  /** Every capability, no masked or read-only `/proc` paths, writable `/sys`, no seccomp (`--privileged`). */
  privileged?: boolean;
  /** `none` (own empty network namespace, the default) or `host` (`--network`). */
  network?: NetworkMode;
  /** Give the process a terminal (`-t`, `--tty`); sets `TERM=xterm`. */
  tty?: boolean;
  /** Keep stdin open (`-i`, `--interactive`). */
  interactive?: boolean;
  /** Signal that stops the container (`--stop-signal`); default the image's `StopSignal`, else `SIGTERM`. */
  stopSignal?: string;
  /** Seconds between the stop signal and SIGKILL (`--stop-timeout`); default 10. */
  stopTimeout?: number;
  /** Resource limits (`--ulimit`); others default to the caller's own limits. */
  ulimits?: UlimitOption[];
  /** The container dies with the process that created it, even on SIGKILL (no `docker run` flag). */
  disposable?: boolean;
  /**
   * Platform of the image to use, such as `linux/amd64` (`--platform`): picked from a
   * multi-platform image when pulled. An image for another platform than the host's is
   * refused (`ERR_PLATFORM_MISMATCH`) unless this names the image's platform, for hosts
   * that run foreign binaries under emulation. Checked as `os/arch[/variant]` with known
   * names (`ERR_INVALID_PLATFORM`).
   */
  platform?: string;
}
