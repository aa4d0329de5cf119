// What the runtime benchmarks (start, density, run) share: running where crun works, and a
// minimal busybox rootfs.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * crun 1.8 refuses this machine's hybrid cgroup layout. Unless already done, re-runs the
 * calling script (`metaUrl`: its import.meta.url) inside `unshare --mount` with
 * /sys/fs/cgroup/unified unmounted, and exits with its status. Every contender then runs in
 * that same mount namespace, so the comparison stays fair.
 */
export function reexecWhereCrunRuns(metaUrl) {
  if (process.argv.includes('--inner')) return;
  const self = fileURLToPath(metaUrl);
  const unified = readFileSync('/proc/self/mountinfo', 'utf8').includes(' /sys/fs/cgroup/unified ');
  const inner = `${unified ? 'umount /sys/fs/cgroup/unified && ' : ''}exec "${process.execPath}" "${self}" --inner`;
  const r = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', inner], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

/** Whether `cmd` is on the PATH (synchronously, for top-level contender lists). */
export function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/** A rootfs at `dir` holding the static busybox with `applets` linked to it, plus `extraDirs`. */
export function busyboxRootfs(dir, applets, extraDirs = []) {
  for (const d of ['bin', 'proc', 'dev', 'sys', 'tmp', ...extraDirs]) mkdirSync(join(dir, d), { recursive: true });
  copyFileSync('/bin/busybox', join(dir, 'bin', 'busybox'));
  chmodSync(join(dir, 'bin', 'busybox'), 0o755);
  for (const a of applets) symlinkSync('busybox', join(dir, 'bin', a));
  return dir;
}
