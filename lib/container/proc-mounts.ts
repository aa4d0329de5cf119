/**
 * Mounts onto `/proc` of a container, refused as runc refuses them: a mount
 * over procfs could hide the masked paths or replace what the kernel reports
 * (CVE-2019-16884, CVE-2019-19921).
 *
 * @module
 */
import { statfsSync, statSync } from 'node:fs';
import { ContainerError } from '../errors.js';

/** Files under `/proc` that may be bound over (what LXCFS emulates), as runc allows. */
export const PROC_MOUNT_ALLOWED: readonly string[] = [
  '/proc/cpuinfo', '/proc/diskstats', '/proc/meminfo', '/proc/stat', '/proc/swaps', '/proc/uptime',
  '/proc/loadavg', '/proc/slabinfo', '/proc/net/dev', '/proc/sys/kernel/ns_last_pid', '/proc/sys/crypto/fips_enabled',
];

const PROC_SUPER_MAGIC = 0x9fa0;
const PROC_ROOT_INO = 1;

/** Whether `source` is the root directory of a procfs. */
function isProcfsRoot(source: string): boolean {
  try {
    return statfsSync(source).type === PROC_SUPER_MAGIC && statSync(source).ino === PROC_ROOT_INO;
  } catch {
    return false;
  }
}

/**
 * Refuses a mount on `destination` (cleaned, in-container) when it is `/proc`
 * or lies under it: only a bind of a procfs root onto `/proc`, or a bind onto
 * one of {@link PROC_MOUNT_ALLOWED}, passes.
 *
 * @throws ContainerError `ERR_INVALID_MOUNT`.
 */
export function checkProcMount(destination: string, type: 'bind' | 'volume' | 'tmpfs', source: string | undefined): void {
  if (destination !== '/proc' && !destination.startsWith('/proc/')) return;
  if (destination === '/proc') {
    if (type === 'bind' && source !== undefined && isProcfsRoot(source)) return;
    throw new ContainerError('ERR_INVALID_MOUNT', 'invalid mount target /proc: only a procfs can be mounted there');
  }
  if (type === 'bind' && PROC_MOUNT_ALLOWED.includes(destination)) return;
  throw new ContainerError('ERR_INVALID_MOUNT', `invalid mount target ${destination}: mounts inside /proc are refused`);
}
