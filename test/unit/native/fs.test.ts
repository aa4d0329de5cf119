import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyscallError } from '../../../lib/errors.js';
import {
  lgetxattr,
  llistxattr,
  lsetxattr,
  mknod,
  mount,
  MountFlags,
  S_IFCHR,
  S_IFIFO,
  umount2,
} from '../../../lib/native/fs.js';

const asRoot = process.geteuid?.() === 0 ? test : test.skip;

describe('native fs helpers', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ocikit-fs-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('mknod makes a FIFO, and a failure is a SyscallError naming call and path', () => {
    mknod(join(dir, 'fifo'), S_IFIFO | 0o600);
    expect(statSync(join(dir, 'fifo')).isFIFO()).toBe(true);
    let err: unknown;
    try {
      mknod(join(dir, 'missing', 'x'), S_IFIFO | 0o600);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SyscallError);
    expect(err).toMatchObject({ errno: 2, code: 'ENOENT', syscall: 'mknod', path: join(dir, 'missing', 'x') });
  });

  asRoot('mknod makes a whiteout-style char device 0/0', () => {
    mknod(join(dir, 'wh'), S_IFCHR | 0o000, 0, 0);
    const st = statSync(join(dir, 'wh'));
    expect(st.isCharacterDevice()).toBe(true);
    expect(st.rdev).toBe(0);
  });

  asRoot('trusted xattrs on a file and on a symlink itself', () => {
    const f = join(dir, 'f');
    writeFileSync(f, 'x');
    symlinkSync('/nonexistent-target', join(dir, 'l'));
    lsetxattr(f, 'trusted.overlay.opaque', 'y');
    expect(lgetxattr(f, 'trusted.overlay.opaque')?.toString()).toBe('y');
    expect(llistxattr(f)).toContain('trusted.overlay.opaque');
    expect(lgetxattr(f, 'trusted.ocikit.none')).toBeNull();
    lsetxattr(join(dir, 'l'), 'trusted.ocikit.link', Buffer.from([0, 1, 2]));
    expect(lgetxattr(join(dir, 'l'), 'trusted.ocikit.link')).toEqual(Buffer.from([0, 1, 2]));
  });

  asRoot('mount a tmpfs, see it, umount it', () => {
    const target = join(dir, 'mnt');
    mkdirSync(target);
    mount('tmpfs', target, 'tmpfs', MountFlags.NOSUID | MountFlags.NODEV, 'size=1m,mode=700');
    try {
      writeFileSync(join(target, 'x'), 'y');
      expect(readFileSync('/proc/self/mountinfo', 'utf8')).toContain(` ${target} `);
    } finally {
      umount2(target);
    }
    expect(existsSync(join(target, 'x'))).toBe(false);
    expect(() => umount2(target)).toThrow(SyscallError);
  });

  test('wrong argument types are TypeErrors, not crashes', () => {
    // napi-rs refuses the argument; lib/native/call.ts makes that a TypeError
    expect(() => mknod(42 as unknown as string, 0)).toThrow(expect.objectContaining({
      name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: expect.stringContaining('String'),
    }));
    expect(() => mount(null, 'x\0y', null)).toThrow(SyscallError);
  });
});
