import { execFileSync } from 'node:child_process';
import { chmod, chown, lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Volume } from '../../../lib/volume/index.js';
import { acquireVolume } from '../../../lib/volume/in-use.js';
import { populateVolume } from '../../../lib/volume/populate.js';

const asRoot = process.getuid?.() === 0;
let root: string;
let src: string;
const savedRoot = process.env['OCIKIT_ROOT'];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ocikit-volpop-'));
  src = await mkdtemp(join(tmpdir(), 'ocikit-volsrc-'));
  process.env['OCIKIT_ROOT'] = root;
});

afterEach(async () => {
  if (savedRoot === undefined) delete process.env['OCIKIT_ROOT'];
  else process.env['OCIKIT_ROOT'] = savedRoot;
  await rm(root, { recursive: true, force: true });
  await rm(src, { recursive: true, force: true });
});

describe('populateVolume', () => {
  it('copies image content into an empty volume, keeping links, modes and times', async () => {
    await mkdir(join(src, 'etc', 'conf.d'), { recursive: true });
    await writeFile(join(src, 'etc', 'conf.d', 'a.conf'), 'a=1');
    await writeFile(join(src, 'secret'), 's');
    await chmod(join(src, 'secret'), 0o640);
    await symlink('/etc/passwd', join(src, 'abs-link'));
    await symlink('../..', join(src, 'etc', 'up'));
    execFileSync('mkfifo', [join(src, 'fifo')]);
    const old = new Date('2020-01-02T03:04:05Z');
    await utimes(join(src, 'secret'), old, old);
    await chmod(src, 0o750);

    const v = await Volume.create('data');
    await acquireVolume(root, 'data', 'c1');
    const result = await populateVolume(root, 'data', 'c1', src);
    expect(result).toEqual({ copied: true, skipped: ['fifo'] });
    expect((await readdir(v.mountpoint)).sort()).toEqual(['abs-link', 'etc', 'secret']);
    expect(await readFile(join(v.mountpoint, 'etc', 'conf.d', 'a.conf'), 'utf8')).toBe('a=1');
    expect((await stat(join(v.mountpoint, 'secret'))).mode & 0o7777).toBe(0o640);
    expect((await stat(join(v.mountpoint, 'secret'))).mtime.getTime()).toBe(old.getTime());
    expect((await stat(v.mountpoint)).mode & 0o7777).toBe(0o750);
    expect((await lstat(join(v.mountpoint, 'abs-link'))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(v.mountpoint, 'abs-link'))).toBe('/etc/passwd');
    expect(await readlink(join(v.mountpoint, 'etc', 'up'))).toBe('../..');
  });

  (asRoot ? it : it.skip)('keeps owners and setuid bits (as root)', async () => {
    await writeFile(join(src, 'tool'), '#!/bin/sh\n');
    await chown(join(src, 'tool'), 1234, 5678);
    await chmod(join(src, 'tool'), 0o4755);
    await mkdir(join(src, 'd'));
    await chown(join(src, 'd'), 42, 43);
    await symlink('tool', join(src, 'l'));
    execFileSync('chown', ['-h', '7:8', join(src, 'l')]);
    const v = await Volume.create('data');
    await populateVolume(root, 'data', 'c1', src);
    const tool = await stat(join(v.mountpoint, 'tool'));
    expect([tool.uid, tool.gid, tool.mode & 0o7777]).toEqual([1234, 5678, 0o4755]);
    const d = await stat(join(v.mountpoint, 'd'));
    expect([d.uid, d.gid]).toEqual([42, 43]);
    const l = await lstat(join(v.mountpoint, 'l'));
    expect([l.uid, l.gid]).toEqual([7, 8]);
  });

  it('leaves a volume that has content alone', async () => {
    await writeFile(join(src, 'from-image'), 'x');
    const v = await Volume.create('data');
    await writeFile(join(v.mountpoint, 'mine'), 'y');
    expect(await populateVolume(root, 'data', 'c1', src)).toEqual({ copied: false, skipped: [] });
    expect(await readdir(v.mountpoint)).toEqual(['mine']);
  });

  it('copies nothing when the source is missing, a file, or a symlink', async () => {
    const v = await Volume.create('data');
    const outside = await mkdtemp(join(tmpdir(), 'ocikit-outside-'));
    try {
      await writeFile(join(outside, 'host-file'), 'host');
      await symlink(outside, join(src, 'link'));
      await writeFile(join(src, 'file'), 'f');
      for (const p of [join(src, 'missing'), join(src, 'file'), join(src, 'link')]) {
        expect(await populateVolume(root, 'data', 'c1', p)).toEqual({ copied: false, skipped: [] });
      }
      expect(await readdir(v.mountpoint)).toEqual([]);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('refuses while another container uses the volume', async () => {
    await writeFile(join(src, 'f'), 'x');
    const v = await Volume.create('data');
    await acquireVolume(root, 'data', 'other');
    await expect(populateVolume(root, 'data', 'c1', src)).rejects.toMatchObject({ code: 'ERR_VOLUME_IN_USE', volume: 'data' });
    expect(await readdir(v.mountpoint)).toEqual([]);
  });

  it('fails with ERR_VOLUME_NOT_FOUND for a missing volume', async () => {
    await expect(populateVolume(root, 'nope', 'c1', src)).rejects.toMatchObject({ code: 'ERR_VOLUME_NOT_FOUND' });
  });
});
