// podman with the flags this machine needs, on a private storage root (the user's storage is untouched).
//
// Verified here (Debian 12, podman 4.3.1, cgroups v1, root): --storage-driver=overlay works (kernel
// overlayfs, no fuse-overlayfs needed); --cgroup-manager=cgroupfs (no systemd); --runtime runc;
// --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 on run (podman's default 1048576 fails: the hard
// RLIMIT_NOFILE here is 20000); --events-backend=file (no journald). The default network (netavark
// bridge) costs ~0.3 s per run, so run() defaults to --network=none, like a bare crun/runc bundle.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { run } from './proc.mjs';

export const RUN_FLAGS = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'];

/**
 * A podman bound to its own temp root. All methods resolve the run() result {code, stdout, stderr}
 * unless noted, and reject on a non-zero exit.
 * @param {{dir?: string, storageDriver?: 'overlay'|'vfs', runtime?: 'runc'|'crun'}} [opts]
 */
export async function createPodman({ dir, storageDriver = 'overlay', runtime = 'runc' } = {}) {
  dir ??= await fsp.mkdtemp(path.join(os.tmpdir(), 'bench-podman-'));
  await fsp.mkdir(path.join(dir, 'tmp'), { recursive: true });
  const globalArgs = [
    '--root', path.join(dir, 'root'),
    '--runroot', path.join(dir, 'run'),
    '--tmpdir', path.join(dir, 'tmp'),
    `--storage-driver=${storageDriver}`,
    '--cgroup-manager=cgroupfs',
    '--runtime', runtime,
    '--events-backend=file',
  ];
  const podman = (args, opts) => run('podman', [...globalArgs, ...args], opts);
  const ref = (host, r) => (host ? `${host}/${r}` : r);
  return {
    dir,
    globalArgs,
    podman,
    /** podman pull over plain http; `r` is "repo:tag" (with host) or a full reference (host null). */
    pull: (host, r) => podman(['pull', '--quiet', '--tls-verify=false', ref(host, r)]),
    /** podman run --rm IMAGE ...cmd (network none unless given). */
    runRm: (image, cmd = ['true'], { network = 'none', extra = [] } = {}) =>
      podman(['run', '--rm', '--pull=never', `--network=${network}`, ...RUN_FLAGS, ...extra, image, ...cmd]),
    /** podman run (kept, named) — e.g. to modify a container before commit. */
    run: (image, cmd, { name, network = 'none', extra = [] } = {}) =>
      podman(['run', '--pull=never', `--network=${network}`, ...RUN_FLAGS, ...(name ? ['--name', name] : []), ...extra, image, ...cmd]),
    /** podman commit CONTAINER IMAGE (OCI format, no pause — the container has exited). */
    commit: (container, image, { format = 'oci', extra = [] } = {}) =>
      podman(['commit', '--quiet', `--format=${format}`, ...extra, container, image]),
    rm: (container) => podman(['rm', '-f', container], { allowFail: true }),
    rmi: (image) => podman(['rmi', '-f', image], { allowFail: true }),
    /** Remove every container and image, unmount leftovers and delete the temp root. */
    async cleanup() {
      await podman(['rm', '-a', '-f'], { allowFail: true });
      await podman(['rmi', '-a', '-f'], { allowFail: true });
      const mounts = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n')
        .map((l) => l.split(' ')[4]).filter((m) => m && m.startsWith(`${dir}/`))
        .sort((a, b) => b.length - a.length);
      for (const m of mounts) await run('umount', ['-l', m], { allowFail: true });
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}

let shared;
async function defaultPodman() {
  shared ??= createPodman();
  return shared;
}

/** Pull host/ref into the shared temp-root podman. */
export async function podmanPull(host, ref) { return (await defaultPodman()).pull(host, ref); }
/** podman run --rm image ...cmd in the shared temp-root podman. */
export async function podmanRunRm(image, cmd = ['true'], opts) { return (await defaultPodman()).runRm(image, cmd, opts); }
/** podman commit container image in the shared temp-root podman. */
export async function podmanCommit(container, image, opts) { return (await defaultPodman()).commit(container, image, opts); }
/** The shared instance (created on first use) — for run/rm/rmi/cleanup. */
export async function sharedPodman() { return defaultPodman(); }
/** Delete the shared instance's temp root. */
export async function podmanCleanup() {
  if (!shared) return;
  const p = await shared;
  shared = undefined;
  await p.cleanup();
}
