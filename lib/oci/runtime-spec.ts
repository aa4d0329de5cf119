/**
 * Types of the OCI runtime spec v1.1 (`config.json` of a bundle) for Linux,
 * and the defaults Docker applies to every container.
 *
 * @module
 */

/** The version of the runtime spec these types describe. */
export const RUNTIME_SPEC_VERSION = '1.1.0';

/** Size of the process's console, when it has a terminal. */
export interface ConsoleSize {
  height: number;
  width: number;
}

/** The user a container process runs as. */
export interface RuntimeUser {
  uid: number;
  gid: number;
  umask?: number;
  additionalGids?: number[];
  username?: string;
}

/** Capability sets of a process; names look like `CAP_CHOWN`. */
export interface RuntimeCapabilities {
  bounding?: string[];
  effective?: string[];
  inheritable?: string[];
  permitted?: string[];
  ambient?: string[];
}

/**
 * One resource limit, `type` like `RLIMIT_NOFILE`. The spec's values are
 * uint64; `RLIM_INFINITY` (2^64-1) is not exact as a JS number, so leave a
 * limit out rather than writing infinity through this type.
 */
export interface RuntimeRlimit {
  type: string;
  hard: number;
  soft: number;
}

/** The process a container runs. */
export interface RuntimeProcess {
  terminal?: boolean;
  consoleSize?: ConsoleSize;
  user: RuntimeUser;
  args?: string[];
  /** `KEY=value` entries. */
  env?: string[];
  /** Absolute working directory inside the container. */
  cwd: string;
  capabilities?: RuntimeCapabilities;
  rlimits?: RuntimeRlimit[];
  noNewPrivileges?: boolean;
  apparmorProfile?: string;
  oomScoreAdj?: number;
  selinuxLabel?: string;
}

/** The container's root filesystem. */
export interface RuntimeRoot {
  /** Path of the rootfs, absolute or relative to the bundle. */
  path: string;
  readonly?: boolean;
}

/** A mount made in the container's mount namespace. */
export interface RuntimeMount {
  destination: string;
  type?: string;
  source?: string;
  options?: string[];
}

/** A hook: a program the runtime runs at a point of the lifecycle. */
export interface RuntimeHook {
  path: string;
  args?: string[];
  env?: string[];
  timeout?: number;
}

/** Lifecycle hooks. */
export interface RuntimeHooks {
  prestart?: RuntimeHook[];
  createRuntime?: RuntimeHook[];
  createContainer?: RuntimeHook[];
  startContainer?: RuntimeHook[];
  poststart?: RuntimeHook[];
  poststop?: RuntimeHook[];
}

/** Kinds of Linux namespaces. */
export type LinuxNamespaceType = 'pid' | 'network' | 'mount' | 'ipc' | 'uts' | 'user' | 'cgroup' | 'time';

/** A namespace to create (no `path`) or to join (`path` of its nsfs file). */
export interface LinuxNamespace {
  type: LinuxNamespaceType;
  path?: string;
}

/** One range of a user or group id mapping. */
export interface LinuxIdMapping {
  containerID: number;
  hostID: number;
  size: number;
}

/** A device cgroup rule. */
export interface LinuxDeviceCgroup {
  allow: boolean;
  /** `a`, `c` or `b`. */
  type?: string;
  major?: number;
  minor?: number;
  /** Some of `r`, `w`, `m`. */
  access?: string;
}

/** Memory cgroup settings (bytes). */
export interface LinuxMemory {
  limit?: number;
  reservation?: number;
  swap?: number;
  kernel?: number;
  kernelTCP?: number;
  swappiness?: number;
  disableOOMKiller?: boolean;
  useHierarchy?: boolean;
  checkBeforeUpdate?: boolean;
}

/** CPU cgroup settings. */
export interface LinuxCpu {
  shares?: number;
  quota?: number;
  burst?: number;
  period?: number;
  realtimeRuntime?: number;
  realtimePeriod?: number;
  cpus?: string;
  mems?: string;
  idle?: number;
}

/** Pids cgroup settings. */
export interface LinuxPids {
  limit: number;
}

/** A weight for one block device. */
export interface LinuxWeightDevice {
  major: number;
  minor: number;
  weight?: number;
  leafWeight?: number;
}

/** A rate limit for one block device. */
export interface LinuxThrottleDevice {
  major: number;
  minor: number;
  rate: number;
}

/** Block IO cgroup settings. */
export interface LinuxBlockIO {
  weight?: number;
  leafWeight?: number;
  weightDevice?: LinuxWeightDevice[];
  throttleReadBpsDevice?: LinuxThrottleDevice[];
  throttleWriteBpsDevice?: LinuxThrottleDevice[];
  throttleReadIOPSDevice?: LinuxThrottleDevice[];
  throttleWriteIOPSDevice?: LinuxThrottleDevice[];
}

/** A hugetlb limit for one page size such as `2MB`. */
export interface LinuxHugepageLimit {
  pageSize: string;
  limit: number;
}

/** Network cgroup settings. */
export interface LinuxNetwork {
  classID?: number;
  priorities?: { name: string; priority: number }[];
}

/** Cgroup resource settings. */
export interface LinuxResources {
  devices?: LinuxDeviceCgroup[];
  memory?: LinuxMemory;
  cpu?: LinuxCpu;
  pids?: LinuxPids;
  blockIO?: LinuxBlockIO;
  hugepageLimits?: LinuxHugepageLimit[];
  network?: LinuxNetwork;
  /** cgroup v2 files and their values. */
  unified?: Record<string, string>;
}

/** Seccomp actions. */
export type LinuxSeccompAction =
  | 'SCMP_ACT_KILL'
  | 'SCMP_ACT_KILL_PROCESS'
  | 'SCMP_ACT_KILL_THREAD'
  | 'SCMP_ACT_TRAP'
  | 'SCMP_ACT_ERRNO'
  | 'SCMP_ACT_TRACE'
  | 'SCMP_ACT_ALLOW'
  | 'SCMP_ACT_LOG'
  | 'SCMP_ACT_NOTIFY';

/** Seccomp argument comparison operators. */
export type LinuxSeccompOperator =
  | 'SCMP_CMP_NE'
  | 'SCMP_CMP_LT'
  | 'SCMP_CMP_LE'
  | 'SCMP_CMP_EQ'
  | 'SCMP_CMP_GE'
  | 'SCMP_CMP_GT'
  | 'SCMP_CMP_MASKED_EQ';

/** A condition on one syscall argument. */
export interface LinuxSeccompArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: LinuxSeccompOperator;
}

/** A rule for a group of syscalls. */
export interface LinuxSyscall {
  names: string[];
  action: LinuxSeccompAction;
  errnoRet?: number;
  args?: LinuxSeccompArg[];
}

/** A seccomp filter. */
export interface LinuxSeccomp {
  defaultAction: LinuxSeccompAction;
  defaultErrnoRet?: number;
  /** Such as `SCMP_ARCH_X86_64`. */
  architectures?: string[];
  flags?: string[];
  listenerPath?: string;
  listenerMetadata?: string;
  syscalls?: LinuxSyscall[];
}

/** A device node to create in the container's `/dev`. */
export interface LinuxDevice {
  /** `c`, `b`, `u` or `p`. */
  type: string;
  path: string;
  major?: number;
  minor?: number;
  fileMode?: number;
  uid?: number;
  gid?: number;
}

/** Execution domain of the process (`personality(2)`). */
export interface LinuxPersonality {
  domain: 'LINUX' | 'LINUX32';
  flags?: string[];
}

/** Linux-specific settings. */
export interface LinuxConfig {
  namespaces?: LinuxNamespace[];
  uidMappings?: LinuxIdMapping[];
  gidMappings?: LinuxIdMapping[];
  sysctl?: Record<string, string>;
  resources?: LinuxResources;
  cgroupsPath?: string;
  seccomp?: LinuxSeccomp;
  maskedPaths?: string[];
  readonlyPaths?: string[];
  mountLabel?: string;
  /** `shared`, `slave`, `private`, `unbindable` and their `r` forms. */
  rootfsPropagation?: string;
  devices?: LinuxDevice[];
  personality?: LinuxPersonality;
}

/** A runtime spec: the `config.json` of an OCI bundle. */
export interface RuntimeSpec {
  ociVersion: string;
  process?: RuntimeProcess;
  root?: RuntimeRoot;
  hostname?: string;
  domainname?: string;
  mounts?: RuntimeMount[];
  hooks?: RuntimeHooks;
  annotations?: Record<string, string>;
  linux?: LinuxConfig;
}

/** The capabilities Docker grants a container by default (its bounding set). */
export const DEFAULT_CAPABILITIES: readonly string[] = Object.freeze([
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
]);

/** Paths Docker hides from a container (bind-mounts /dev/null or an empty read-only tmpfs over them). */
export const DEFAULT_MASKED_PATHS: readonly string[] = Object.freeze([
  '/proc/asound',
  '/proc/acpi',
  '/proc/interrupts',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/devices/virtual/powercap',
]);

/** Paths Docker remounts read-only in a container. */
export const DEFAULT_READONLY_PATHS: readonly string[] = Object.freeze([
  '/proc/bus',
  '/proc/fs',
  '/proc/irq',
  '/proc/sys',
  '/proc/sysrq-trigger',
]);

/**
 * The mounts Docker gives every container, in mount order (a parent before
 * its children). Returns fresh objects the caller may change.
 */
export function defaultMounts(): RuntimeMount[] {
  return [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    {
      destination: '/dev/pts',
      type: 'devpts',
      source: 'devpts',
      options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
    },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['ro', 'nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
  ];
}
