/**
 * Cgroup resources of a container (`--memory`, `--memory-swap`, `--cpus`,
 * `--cpu-shares`, `--pids-limit`) and its device rules, validated as Docker
 * validates them.
 *
 * @module
 */
import { ContainerError } from '../errors.js';
import type { LinuxDevice, LinuxDeviceCgroup, LinuxResources } from '../oci/runtime-spec.js';
import type { ContainerOptions } from './options.js';

/** Smallest memory limit Docker accepts: 6 MiB. */
export const MIN_MEMORY = 6 * 2 ** 20;
/** CFS period used for `cpus`, in microseconds. */
export const CPU_PERIOD = 100_000;

function invalid(msg: string): ContainerError {
  return new ContainerError('ERR_INVALID_OPTION', msg);
}

/** The device nodes every container gets in its `/dev`. */
export function defaultDevices(): LinuxDevice[] {
  const dev = (path: string, major: number, minor: number): LinuxDevice => ({ type: 'c', path, major, minor, fileMode: 0o666, uid: 0, gid: 0 });
  return [dev('/dev/null', 1, 3), dev('/dev/zero', 1, 5), dev('/dev/full', 1, 7), dev('/dev/random', 1, 8), dev('/dev/urandom', 1, 9), dev('/dev/tty', 5, 0)];
}

/** Device cgroup rules: deny everything, then allow the default nodes, ptys and mknod. */
export function defaultDeviceRules(privileged: boolean): LinuxDeviceCgroup[] {
  if (privileged) return [{ allow: true, access: 'rwm' }];
  const c = (major: number | undefined, minor: number | undefined, access: string): LinuxDeviceCgroup => {
    const rule: LinuxDeviceCgroup = { allow: true, type: 'c', access };
    if (major !== undefined) rule.major = major;
    if (minor !== undefined) rule.minor = minor;
    return rule;
  };
  return [
    { allow: false, access: 'rwm' },
    c(undefined, undefined, 'm'),
    { allow: true, type: 'b', access: 'm' },
    c(1, 3, 'rwm'), c(1, 5, 'rwm'), c(1, 7, 'rwm'), c(1, 8, 'rwm'), c(1, 9, 'rwm'),
    c(5, 0, 'rwm'), c(5, 1, 'rwm'), c(5, 2, 'rwm'), c(136, undefined, 'rwm'), c(10, 200, 'rwm'),
  ];
}

/**
 * The cgroup resources for the options.
 *
 * @throws ContainerError `ERR_INVALID_OPTION` for a memory limit under 6 MiB,
 *   a swap limit without or below the memory limit, non-positive cpus or
 *   shares, or a negative pids limit below -1.
 */
export function containerResources(options: ContainerOptions): LinuxResources {
  const res: LinuxResources = { devices: defaultDeviceRules(options.privileged === true) };
  const { memory, memorySwap, cpus, cpuShares, pidsLimit } = options;
  if (memory !== undefined && memory !== 0) {
    if (!Number.isSafeInteger(memory) || memory < MIN_MEMORY) throw invalid(`minimum memory limit allowed is 6MB, got ${memory}`);
    let swap = memorySwap ?? 2 * memory;
    if (swap === 0) swap = 2 * memory;
    if (swap !== -1 && (!Number.isSafeInteger(swap) || swap < memory)) {
      throw invalid('minimum memory-swap limit should be larger than the memory limit');
    }
    res.memory = { limit: memory, swap };
  } else if (memorySwap !== undefined && memorySwap !== 0 && memorySwap !== -1) {
    throw invalid('a memory-swap limit needs a memory limit');
  }
  if (cpus !== undefined || cpuShares !== undefined) {
    res.cpu = {};
    if (cpus !== undefined) {
      if (!Number.isFinite(cpus) || cpus <= 0) throw invalid(`invalid cpus ${cpus}: must be above 0`);
      const quota = Math.round(cpus * CPU_PERIOD);
      if (quota < 1000) throw invalid(`invalid cpus ${cpus}: must be at least 0.01`);
      res.cpu.quota = quota;
      res.cpu.period = CPU_PERIOD;
    }
    if (cpuShares !== undefined) {
      if (!Number.isSafeInteger(cpuShares) || cpuShares < 0) throw invalid(`invalid cpu-shares ${cpuShares}`);
      if (cpuShares > 0) res.cpu.shares = Math.max(2, cpuShares);
    }
  }
  if (pidsLimit !== undefined) {
    if (!Number.isSafeInteger(pidsLimit) || pidsLimit < -1) throw invalid(`invalid pids-limit ${pidsLimit}`);
    if (pidsLimit > 0) res.pids = { limit: pidsLimit };
  }
  return res;
}
