/** A multi-layer test image exercising every entry kind and every whiteout rule. */
import { buildTar } from './tar-fixtures.js';

/** The tars of the test image, lowest first. */
export function testImageTars(): Buffer[] {
  const l1 = buildTar([
    { name: 'bin/', type: 'dir' }, { name: 'bin/sh', content: '#!sh\n'.repeat(100), mode: 0o755 },
    { name: 'bin/su', content: 'su', mode: 0o4755, uid: 0, gid: 0 },
    { name: 'bin/ash', type: 'link', target: 'bin/sh' },
    { name: 'etc/', type: 'dir', mode: 0o755 }, { name: 'etc/passwd', content: 'root:x:0:0\n', mode: 0o644 },
    { name: 'etc/shadow', content: 'secret', mode: 0o640, uid: 0, gid: 42 },
    { name: 'home/', type: 'dir' }, { name: 'home/user/', type: 'dir', uid: 1000, gid: 1000, mode: 0o700 },
    { name: 'home/user/.profile', content: 'export A=1', uid: 1000, gid: 1000 },
    { name: 'opt/', type: 'dir' }, { name: 'opt/app/', type: 'dir' }, { name: 'opt/app/a', content: 'a' },
    { name: 'opt/app/sub/', type: 'dir' }, { name: 'opt/app/sub/b', content: 'b' },
    { name: 'tmp/', type: 'dir', mode: 0o1777 },
    { name: 'usr/', type: 'dir' }, { name: 'usr/lib/', type: 'dir' }, { name: 'usr/lib/libc.so', content: Buffer.alloc(70_000, 7) },
    { name: 'lib', type: 'symlink', target: 'usr/lib' },
    { name: 'dev/', type: 'dir' }, { name: 'dev/null', type: 'char', major: 1, minor: 3, mode: 0o666 },
    { name: 'run/', type: 'dir' }, { name: 'run/fifo', type: 'fifo', mode: 0o620 },
    { name: 'var/', type: 'dir' }, { name: 'var/file-to-dir', content: 'was a file' },
    { name: 'var/dir-to-file/', type: 'dir' }, { name: 'var/dir-to-file/x', content: 'x' },
  ]);
  const l2 = buildTar([
    { name: 'etc/.wh.shadow' },
    { name: 'etc/passwd', content: 'root:x:0:0\nuser:x:1000:1000\n' },
    { name: 'opt/app/new', content: 'new in layer 2' },
    { name: 'opt/app/sub/', type: 'dir', mode: 0o750 }, { name: 'opt/app/sub/c', content: 'c' },
    { name: 'opt/app/.wh..wh..opq' },
    { name: 'var/file-to-dir/', type: 'dir' }, { name: 'var/file-to-dir/inside', content: 'now a dir' },
    { name: 'var/dir-to-file', content: 'now a file' },
    { name: 'bin/.wh.ash' },
    { name: 'usr/lib/libm.so', content: 'm' },
    { name: `usr/share/${'long-'.repeat(30)}/file`, content: 'long' },
  ]);
  const l3 = buildTar([
    { name: '.wh.home' },
    { name: 'home/', type: 'dir', mode: 0o755 }, { name: 'home/new/', type: 'dir' },
    { name: 'usr/lib/.wh.libc.so' },
    { name: 'etc/hosts', content: '127.0.0.1 localhost\n', mtime: 1_700_000_000 },
    { name: 'etc/hosts-link', type: 'link', target: 'etc/hosts' },
    { name: 'etc/passwd-link', type: 'link', target: 'etc/passwd' },
  ]);
  return [l1, l2, l3];
}
