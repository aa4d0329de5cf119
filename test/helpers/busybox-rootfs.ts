/**
 * Test helper: a busybox-static root file system tar (with the directories and
 * files a runtime mounts over, so diffs stay clean), for `Image.import`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Applets linked in `/bin`. */
export const APPLETS = ['sh', 'ls', 'echo', 'cat', 'true', 'false', 'sleep', 'env', 'id', 'mkdir', 'rm', 'touch', 'wc', 'ln', 'printf', 'ps', 'test', 'readlink', 'stat', 'sha256sum', 'tar', 'top', 'chmod'];

/** Writes a busybox rootfs tar to `file` (made with the system tar). */
export function writeBusyboxTar(file: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ocikit-bbroot-'));
  try {
    const r = join(dir, 'r');
    const script = [
      `mkdir -p ${r}/bin ${r}/etc ${r}/tmp ${r}/proc ${r}/sys ${r}/dev ${r}/root ${r}/var`,
      `chmod 1777 ${r}/tmp`,
      `cp /bin/busybox ${r}/bin/busybox`,
      `for a in ${APPLETS.join(' ')}; do ln -s busybox ${r}/bin/$a; done`,
      `printf 'root:x:0:0:root:/root:/bin/sh\\nnobody:x:65534:65534:nobody:/:/bin/false\\n' > ${r}/etc/passwd`,
      `printf 'root:x:0:\\nnogroup:x:65534:\\n' > ${r}/etc/group`,
      `touch ${r}/etc/hosts ${r}/etc/hostname ${r}/etc/resolv.conf`,
    ].join(' && ');
    execFileSync('sh', ['-c', script]);
    execFileSync('tar', ['--numeric-owner', '-C', r, '-cf', file, '.']);
    return file;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
