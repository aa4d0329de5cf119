/**
 * Pure parsers of what the kernel publishes under /proc and /sys, used by `info()`.
 *
 * @module
 */

/** One line of `/proc/self/mountinfo`. */
export interface MountInfoEntry {
  mountPoint: string;
  root: string;
  fstype: string;
  source: string;
  mountOptions: string[];
  superOptions: string[];
}

/** Undoes the octal escapes (`\040` for a space) the kernel writes in mountinfo paths. */
export function unescapeMountPath(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** Parses `/proc/<pid>/mountinfo` (proc(5)); malformed lines are skipped. */
export function parseMountInfo(text: string): MountInfoEntry[] {
  const out: MountInfoEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const dash = fields.indexOf('-');
    if (dash < 6 || fields.length < dash + 4) continue;
    out.push({
      root: unescapeMountPath(fields[3] ?? ''),
      mountPoint: unescapeMountPath(fields[4] ?? ''),
      mountOptions: (fields[5] ?? '').split(','),
      fstype: fields[dash + 1] ?? '',
      source: unescapeMountPath(fields[dash + 2] ?? ''),
      superOptions: (fields[dash + 3] ?? '').split(','),
    });
  }
  return out;
}

/** Controllers a cgroup v1 hierarchy can carry (anything else in its options is a mount option). */
export const CGROUP_V1_CONTROLLERS: readonly string[] = Object.freeze([
  'blkio', 'cpu', 'cpuacct', 'cpuset', 'devices', 'freezer', 'hugetlb', 'memory', 'misc',
  'net_cls', 'net_prio', 'perf_event', 'pids', 'rdma',
]);

/** A mounted cgroup v1 hierarchy. */
export interface CgroupV1Hierarchy {
  /** Where it is mounted, such as `/sys/fs/cgroup/memory`. */
  mountPoint: string;
  /** Controllers attached to it, such as `['cpu', 'cpuacct']`; empty for a named hierarchy. */
  controllers: string[];
  /** The `name=` of a named hierarchy (`systemd`), if any. */
  name?: string;
}

/** The cgroup layout of the host. */
export interface CgroupLayout {
  /** `v2`: only the unified hierarchy; `v1`: only legacy ones; `hybrid`: both; `none`: no cgroupfs. */
  version: 'v1' | 'v2' | 'hybrid' | 'none';
  /** The v1 hierarchies, one per mount. */
  v1: CgroupV1Hierarchy[];
  /** Mount point of the unified (v2) hierarchy, if mounted. */
  v2MountPoint: string | undefined;
}

/** Reads the cgroup layout from parsed mountinfo (a hierarchy bind-mounted twice counts once). */
export function cgroupLayout(mounts: MountInfoEntry[]): CgroupLayout {
  const v1: CgroupV1Hierarchy[] = [];
  const seen = new Set<string>();
  let v2MountPoint: string | undefined;
  for (const m of mounts) {
    if (m.fstype === 'cgroup2') {
      if (v2MountPoint === undefined || m.mountPoint.length < v2MountPoint.length) v2MountPoint = m.mountPoint;
    } else if (m.fstype === 'cgroup') {
      const controllers = m.superOptions.filter((o) => CGROUP_V1_CONTROLLERS.includes(o)).sort();
      const name = m.superOptions.find((o) => o.startsWith('name='))?.slice(5);
      const key = `${controllers.join(',')}|${name ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      v1.push({ mountPoint: m.mountPoint, controllers, ...(name !== undefined ? { name } : {}) });
    }
  }
  const version = v1.length > 0 ? (v2MountPoint !== undefined ? 'hybrid' : 'v1') : v2MountPoint ? 'v2' : 'none';
  return { version, v1, v2MountPoint };
}

/** Filesystem types the kernel knows, from `/proc/filesystems`. */
export function parseFilesystems(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/).pop() ?? '')
    .filter((s) => s !== '');
}

/** Whether an unprivileged user can create a user namespace, from the two sysctls (undefined = absent). */
export function unprivilegedUserNamespaces(cloneSysctl: string | undefined, maxUserNs: string | undefined): boolean {
  if (cloneSysctl !== undefined && cloneSysctl.trim() === '0') return false;
  if (maxUserNs !== undefined && Number(maxUserNs.trim()) === 0) return false;
  return true;
}
