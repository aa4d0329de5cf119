import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_SYMLINK_HOPS, resolveInRoot } from '../../../lib/container/rootfs-path.js';

describe('resolveInRoot', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'ocikit-rootfs-path-'));
    await mkdir(join(root, 'etc'), { recursive: true });
    await mkdir(join(root, 'b'), { recursive: true });
    await writeFile(join(root, 'etc', 'passwd'), 'root:x:0:0::/root:/bin/sh\n');
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('joins plain paths and keeps missing components', async () => {
    expect(await resolveInRoot(root, '/etc/passwd')).toBe(join(root, 'etc/passwd'));
    expect(await resolveInRoot(root, 'etc//./passwd')).toBe(join(root, 'etc/passwd'));
    expect(await resolveInRoot(root, '/no/such/file')).toBe(join(root, 'no/such/file'));
    expect(await resolveInRoot(root, '/')).toBe(root);
  });

  it('never climbs above the root with ..', async () => {
    expect(await resolveInRoot(root, '/../../../etc/shadow')).toBe(join(root, 'etc/shadow'));
    expect(await resolveInRoot(root, 'etc/../../../../x')).toBe(join(root, 'x'));
  });

  it('follows an absolute symlink from the root, not from the host', async () => {
    await symlink('/b', join(root, 'a'));
    expect(await resolveInRoot(root, '/a/c')).toBe(join(root, 'b/c'));
    await symlink('/etc/shadow', join(root, 'shadowlink'));
    expect(await resolveInRoot(root, '/shadowlink')).toBe(join(root, 'etc/shadow'));
  });

  it('clamps a relative symlink that climbs out', async () => {
    await symlink('../../../../../../etc', join(root, 'b', 'up'));
    expect(await resolveInRoot(root, '/b/up/passwd')).toBe(join(root, 'etc/passwd'));
  });

  it('resolves relative symlinks against their own directory', async () => {
    await mkdir(join(root, 'usr', 'lib'), { recursive: true });
    await symlink('lib', join(root, 'usr', 'lib64'));
    expect(await resolveInRoot(root, '/usr/lib64/x.so')).toBe(join(root, 'usr/lib/x.so'));
  });

  it('gives up on loops and on more than 40 hops', async () => {
    await symlink('y', join(root, 'x'));
    await symlink('x', join(root, 'y'));
    await expect(resolveInRoot(root, '/x/z')).rejects.toMatchObject({ code: 'ERR_SYMLINK_LOOP' });
    await symlink('/self', join(root, 'self'));
    await expect(resolveInRoot(root, '/self')).rejects.toMatchObject({ code: 'ERR_SYMLINK_LOOP' });
    // a chain of exactly MAX hops resolves, one more does not
    for (let i = 0; i < MAX_SYMLINK_HOPS + 1; i++) await symlink(`c${i + 1}`, join(root, `c${i}`));
    expect(await resolveInRoot(root, '/c1')).toBe(join(root, `c${MAX_SYMLINK_HOPS + 1}`));
    await expect(resolveInRoot(root, '/c0')).rejects.toMatchObject({ code: 'ERR_SYMLINK_LOOP' });
  });

  it('refuses NUL', async () => {
    await expect(resolveInRoot(root, '/etc/\0')).rejects.toMatchObject({ code: 'ERR_INVALID_PATH' });
  });
});
