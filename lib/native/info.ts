/**
 * `info()`: what this host offers to ocikit, like `docker info`.
 *
 * @module
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storageRoot } from '../paths.js';
import { native } from './addon.js';
import { callNative } from './call.js';
import { mount, umount2, UmountFlags } from './fs.js';
import { cgroupLayout, parseFilesystems, parseMountInfo, unprivilegedUserNamespaces } from './host-probe.js';

/** A cgroup v1 hierarchy of the host. */
export interface CgroupHierarchyInfo {
  /** Where it is mounted, such as `/sys/fs/cgroup/memory`. */
  mountPoint: string;
  /** Controllers attached to it. */
  controllers: string[];
  /** The name of a named hierarchy (`systemd`), if any. */
  name?: string;
}

/** The result of {@link info}. */
export interface HostInfo {
  /** Kernel release, as `uname -r` prints it. */
  kernelRelease: string;
  /** Kernel build string, as `uname -v` prints it. */
  kernelVersion: string;
  /** Machine architecture as the kernel names it (`x86_64`, `aarch64`). */
  architecture: string;
  /** Host name. */
  hostname: string;
  /** Cgroups: version and controllers. */
  cgroup: {
    /** `v2` (unified only), `v1` (legacy only), `hybrid` (both mounted) or `none`. */
    version: 'v1' | 'v2' | 'hybrid' | 'none';
    /** Each v1 hierarchy with its controllers. */
    v1Hierarchies: CgroupHierarchyInfo[];
    /** Mount point of the unified hierarchy, if mounted. */
    v2MountPoint?: string;
    /** Controllers available in the unified hierarchy (`cgroup.controllers`). */
    v2Controllers: string[];
  };
  /** Overlay filesystem support. */
  overlay: {
    /** The kernel lists `overlay` in /proc/filesystems. */
    supported: boolean;
    /** A real test mount worked; `undefined` when it was not tried (not root, or `probeOverlay: false`). */
    mountable?: boolean;
  };
  /** Whether unprivileged users may create user namespaces (rootless containers). */
  unprivilegedUserNamespaces: boolean;
  /** `user.max_user_namespaces`, when the kernel publishes it. */
  maxUserNamespaces?: number;
  /** The process runs with effective uid 0. */
  root: boolean;
  /** Where ocikit stores images and containers. */
  storageRoot: string;
}

/** Options of {@link info}. */
export interface InfoOptions {
  /** Try a real overlay mount in a temporary directory (root only). Default true. */
  probeOverlay?: boolean;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function overlayMountable(): Promise<boolean> {
  const dir = await mkdtemp(join(tmpdir(), 'ocikit-overlay-probe-'));
  const merged = join(dir, 'merged');
  let mounted = false;
  try {
    await Promise.all(['lower', 'upper', 'work', 'merged'].map((d) => mkdir(join(dir, d))));
    const data = `lowerdir=${join(dir, 'lower')},upperdir=${join(dir, 'upper')},workdir=${join(dir, 'work')}`;
    mount('overlay', merged, 'overlay', 0, data);
    mounted = true;
    return true;
  } catch {
    return false;
  } finally {
    if (mounted) umount2(merged, UmountFlags.DETACH);
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Describes the host: kernel, cgroups, overlayfs, user namespaces, privileges and the storage root.
 *
 * ```ts
 * const host = await info();
 * if (host.cgroup.version === 'v1') console.log(host.cgroup.v1Hierarchies);
 * ```
 *
 * @throws {@link NativeLoadError} when the native addon is not built.
 */
export async function info(options: InfoOptions = {}): Promise<HostInfo> {
  const binding = native();
  const uname = callNative(() => binding.uname());
  const { euid } = binding.ids();
  const [mountinfo, filesystems, cloneSysctl, maxUserNs] = await Promise.all([
    readFile('/proc/self/mountinfo', 'utf8'),
    readOptional('/proc/filesystems'),
    readOptional('/proc/sys/kernel/unprivileged_userns_clone'),
    readOptional('/proc/sys/user/max_user_namespaces'),
  ]);
  const layout = cgroupLayout(parseMountInfo(mountinfo));
  const v2Controllers =
    layout.v2MountPoint === undefined
      ? []
      : ((await readOptional(join(layout.v2MountPoint, 'cgroup.controllers'))) ?? '').split(/\s+/).filter(Boolean);
  const supported = parseFilesystems(filesystems ?? '').includes('overlay');
  const root = euid === 0;
  const probe = supported && root && options.probeOverlay !== false;
  const max = maxUserNs === undefined ? undefined : Number(maxUserNs.trim());
  return {
    kernelRelease: uname.release,
    kernelVersion: uname.version,
    architecture: uname.machine,
    hostname: uname.nodename,
    cgroup: {
      version: layout.version,
      v1Hierarchies: layout.v1,
      ...(layout.v2MountPoint !== undefined ? { v2MountPoint: layout.v2MountPoint } : {}),
      v2Controllers,
    },
    overlay: { supported, ...(probe ? { mountable: await overlayMountable() } : {}) },
    unprivilegedUserNamespaces: unprivilegedUserNamespaces(cloneSysctl, maxUserNs),
    ...(max !== undefined && Number.isFinite(max) ? { maxUserNamespaces: max } : {}),
    root,
    storageRoot: storageRoot(),
  };
}
