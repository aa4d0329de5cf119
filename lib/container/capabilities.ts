/**
 * The capability set of a container: Docker's defaults changed by
 * `--cap-add`, `--cap-drop` and `--privileged`.
 *
 * @module
 */
import { ContainerError } from '../errors.js';
import { DEFAULT_CAPABILITIES } from '../oci/runtime-spec.js';

/** Every Linux capability, in the kernel's numbering (index = capability number). */
export const ALL_CAPABILITIES: readonly string[] = Object.freeze([
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE', 'CAP_NET_BROADCAST', 'CAP_NET_ADMIN',
  'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE', 'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG', 'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ',
  'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
]);

/** The capabilities a kernel whose `/proc/sys/kernel/cap_last_cap` is `lastCap` knows. */
export function knownCapabilities(lastCap = ALL_CAPABILITIES.length - 1): string[] {
  return ALL_CAPABILITIES.slice(0, Math.max(0, Math.min(lastCap, ALL_CAPABILITIES.length - 1)) + 1);
}

/**
 * Normalises a capability name the way Docker accepts it: any case, with or
 * without `CAP_`; `ALL` stays `ALL`.
 *
 * @throws ContainerError `ERR_UNKNOWN_CAPABILITY`.
 */
export function normalizeCapability(name: string): string {
  const upper = name.trim().toUpperCase();
  if (upper === 'ALL') return 'ALL';
  const full = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
  if (!ALL_CAPABILITIES.includes(full)) throw new ContainerError('ERR_UNKNOWN_CAPABILITY', `unknown capability: ${JSON.stringify(name)}`);
  return full;
}

/** Inputs of {@link containerCapabilities}. */
export interface CapabilityOptions {
  capAdd?: string[] | undefined;
  capDrop?: string[] | undefined;
  privileged?: boolean | undefined;
  /** Highest capability number of the kernel; all of {@link ALL_CAPABILITIES} when omitted. */
  lastCap?: number | undefined;
  /** The host's bounding set (no limit when omitted): nothing outside it can be granted. */
  hostBounding?: readonly string[] | undefined;
}

/**
 * The container's capabilities, as Docker computes them: privileged gets
 * every capability; `capAdd` with `ALL` gets every one but those dropped;
 * `capDrop` with `ALL` gets only those added; otherwise the defaults minus
 * the dropped plus the added. Only what the host's bounding set holds is
 * granted: privileged, `ALL` and the defaults get what the host has, as with
 * runc; a capability named in `capAdd` that the host lacks is refused.
 *
 * @throws ContainerError `ERR_UNKNOWN_CAPABILITY`; `ERR_CAPABILITY_UNAVAILABLE` for a named one outside the host's bounding set.
 */
export function containerCapabilities(opts: CapabilityOptions): string[] {
  const bounding = opts.hostBounding;
  const known = knownCapabilities(opts.lastCap).filter((c) => bounding === undefined || bounding.includes(c));
  if (opts.privileged === true) return known;
  const add = (opts.capAdd ?? []).map(normalizeCapability);
  const missing = add.filter((c) => c !== 'ALL' && bounding !== undefined && !bounding.includes(c));
  if (missing.length > 0) {
    throw new ContainerError(
      'ERR_CAPABILITY_UNAVAILABLE',
      `cannot add capabilit${missing.length > 1 ? 'ies' : 'y'} ${missing.join(', ')}: not in the host's capability bounding set (CapBnd), so no process here can hold ${missing.length > 1 ? 'them' : 'it'}`,
    );
  }
  const drop = (opts.capDrop ?? []).map(normalizeCapability);
  let caps: string[];
  if (add.includes('ALL')) caps = known.filter((c) => !drop.includes(c));
  else if (drop.includes('ALL')) caps = add;
  else caps = [...DEFAULT_CAPABILITIES.filter((c) => !drop.includes(c)), ...add];
  return [...new Set(caps)].filter((c) => known.includes(c));
}
