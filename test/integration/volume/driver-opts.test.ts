import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { Volume } from '../../../lib/volume/index.js';
import { acquireVolume, releaseVolume } from '../../../lib/volume/in-use.js';

const asRoot = process.getuid?.() === 0;
const maybe = asRoot ? describe : describe.skip;

/** The filesystem type mounted exactly at `path`, if any. */
async function mountedType(path: string): Promise<string | undefined> {
  const lines = (await readFile('/proc/self/mountinfo', 'utf8')).trim().split('\n');
  let type: string | undefined;
  for (const line of lines) {
    const [left, right] = line.split(' - ') as [string, string];
    if (left.split(' ')[4] === path) type = right.split(' ')[0];
  }
  return type;
}

maybe('local driver options (mounts, needs root)', () => {
  let root: string;
  const savedRoot = process.env['OCIKIT_ROOT'];

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'ocikit-volmnt-'));
    process.env['OCIKIT_ROOT'] = root;
  });

  afterEach(async () => {
    if (savedRoot === undefined) delete process.env['OCIKIT_ROOT'];
    else process.env['OCIKIT_ROOT'] = savedRoot;
    // never leave a mount behind, even when a test failed half-way
    const mounts = (await readFile('/proc/self/mountinfo', 'utf8')).split('\n').map((l) => l.split(' ')[4] ?? '');
    for (const m of mounts.filter((p) => p.startsWith(root)).reverse()) execFileSync('umount', ['-l', m]);
    await rm(root, { recursive: true, force: true });
  });

  it('mounts a tmpfs volume at its first user and unmounts it after its last', async () => {
    const v = await Volume.create('fast', { driverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=1m,mode=0755' } });
    expect((await v.inspect()).Options).toEqual({ type: 'tmpfs', device: 'tmpfs', o: 'size=1m,mode=0755' });
    expect(await mountedType(v.mountpoint)).toBeUndefined();
    await acquireVolume(root, 'fast', 'c1');
    expect(await mountedType(v.mountpoint)).toBe('tmpfs');
    await acquireVolume(root, 'fast', 'c2');
    await writeFile(join(v.mountpoint, 'f'), 'in tmpfs');
    await releaseVolume(root, 'fast', 'c1');
    expect(await mountedType(v.mountpoint)).toBe('tmpfs');
    await releaseVolume(root, 'fast', 'c2');
    expect(await mountedType(v.mountpoint)).toBeUndefined();
    expect(await readdir(v.mountpoint)).toEqual([]);
  });

  it('bind-mounts a host directory with type none and o bind', async () => {
    const src = await mkdtemp(join(tmpdir(), 'ocikit-volsrc-'));
    try {
      await writeFile(join(src, 'hello'), 'from host');
      const v = await Volume.create('bound', { driverOpts: { type: 'none', device: src, o: 'bind' } });
      await acquireVolume(root, 'bound', 'c1');
      expect(await readFile(join(v.mountpoint, 'hello'), 'utf8')).toBe('from host');
      await releaseVolume(root, 'bound', 'c1');
      expect(await readdir(v.mountpoint)).toEqual([]);
      expect(await readFile(join(src, 'hello'), 'utf8')).toBe('from host');
    } finally {
      await rm(src, { recursive: true, force: true });
    }
  });

  it('unmounts before a forced removal, so the removal cannot reach the mounted source', async () => {
    const src = await mkdtemp(join(tmpdir(), 'ocikit-volsrc-'));
    try {
      await writeFile(join(src, 'precious'), 'keep');
      const v = await Volume.create('bound', { driverOpts: { type: 'none', device: src, o: 'bind' } });
      await acquireVolume(root, 'bound', 'c1');
      await Volume.remove('bound', { force: true });
      expect(await mountedType(v.mountpoint)).toBeUndefined();
      expect(await readFile(join(src, 'precious'), 'utf8')).toBe('keep');
    } finally {
      await rm(src, { recursive: true, force: true });
    }
  });

  it('reports a mount that fails and records no user', async () => {
    await Volume.create('broken', { driverOpts: { type: 'none', device: join(root, 'does-not-exist'), o: 'bind' } });
    await expect(acquireVolume(root, 'broken', 'c1')).rejects.toMatchObject({ code: 'ERR_VOLUME_MOUNT', volume: 'broken' });
    expect((await Volume.get('broken')).usedBy).toEqual([]);
  });
});
