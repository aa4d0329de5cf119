/**
 * Shared by the examples: a small image built from the host's busybox-static
 * binary with `Image.import`, so no registry or network is needed.
 */
import { mkdirSync, mkdtempSync, copyFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from 'tar';
import { Image } from 'ocikit';

/** Builds (or rebuilds) `ref` from `/bin/busybox` and resolves with the image. */
export async function busyboxImage(ref: string, busybox = '/bin/busybox'): Promise<Image> {
  const dir = mkdtempSync(join(tmpdir(), 'ocikit-example-'));
  try {
    for (const d of ['bin', 'etc', 'tmp', 'proc', 'sys', 'dev', 'root']) mkdirSync(join(dir, d));
    copyFileSync(busybox, join(dir, 'bin/busybox'));
    for (const applet of ['sh', 'echo', 'cat', 'ls', 'uname', 'id', 'sleep', 'wc', 'sha256sum']) symlinkSync('busybox', join(dir, 'bin', applet));
    writeFileSync(join(dir, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
    writeFileSync(join(dir, 'etc/group'), 'root:x:0:\n');
    for (const f of ['hosts', 'hostname', 'resolv.conf']) writeFileSync(join(dir, 'etc', f), '');
    const tar = create({ cwd: dir, portable: true }, ['.']);
    return await Image.import(tar as unknown as NodeJS.ReadableStream as import('node:stream').Readable, {
      ref,
      changes: ['ENV PATH=/bin', 'CMD ["sh"]'],
      message: 'busybox-static from the host',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
