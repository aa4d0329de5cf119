import { mkdtemp, mkdir, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANONYMOUS_VOLUME_LABEL, Volume, VolumeError } from '../../../lib/volume/index.js';
import { acquireVolume, releaseVolume } from '../../../lib/volume/in-use.js';

let root: string;
const savedRoot = process.env['OCIKIT_ROOT'];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ocikit-vol-'));
  process.env['OCIKIT_ROOT'] = root;
});

afterEach(async () => {
  if (savedRoot === undefined) delete process.env['OCIKIT_ROOT'];
  else process.env['OCIKIT_ROOT'] = savedRoot;
  await rm(root, { recursive: true, force: true });
});

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(VolumeError);
    return (err as VolumeError).code;
  }
  throw new Error('expected a rejection');
}

describe('Volume.create / get / inspect', () => {
  it('creates volumes/<name>/_data and volume.json, inspected like docker', async () => {
    const before = Date.now();
    const v = await Volume.create('data', { labels: { app: 'web' } });
    expect(v.name).toBe('data');
    expect(v.mountpoint).toBe(join(root, 'volumes', 'data', '_data'));
    expect((await stat(v.mountpoint)).isDirectory()).toBe(true);
    expect((await readdir(join(root, 'volumes', 'data'))).sort()).toEqual(['_data', 'volume.json']);
    const onDisk = JSON.parse(await readFile(join(root, 'volumes', 'data', 'volume.json'), 'utf8')) as { usedBy: unknown };
    expect(onDisk.usedBy).toEqual([]);
    const info = await v.inspect();
    expect(info).toEqual({
      Name: 'data',
      Driver: 'local',
      Mountpoint: join(root, 'volumes', 'data', '_data'),
      CreatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) as unknown,
      Labels: { app: 'web' },
      Scope: 'local',
      Options: {},
    });
    expect(Date.parse(info.CreatedAt)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect((await Volume.get('data')).labels).toEqual({ app: 'web' });
  });

  it('names an anonymous volume with 64 random hex characters and labels it', async () => {
    const a = await Volume.create();
    const b = await Volume.create();
    expect(a.name).toMatch(/^[0-9a-f]{64}$/);
    expect(a.name).not.toBe(b.name);
    expect(a.labels).toEqual({ [ANONYMOUS_VOLUME_LABEL]: '' });
  });

  it('returns the existing volume when created again, refuses different labels or options', async () => {
    const first = await Volume.create('v', { labels: { a: '1' } });
    await writeFile(join(first.mountpoint, 'keep'), 'x');
    const again = await Volume.create('v');
    expect(again.createdAt.getTime()).toBe(first.createdAt.getTime());
    expect(await readFile(join(again.mountpoint, 'keep'), 'utf8')).toBe('x');
    expect((await Volume.create('v', { labels: { a: '1' } })).labels).toEqual({ a: '1' });
    expect(await code(Volume.create('v', { labels: { a: '2' } }))).toBe('ERR_VOLUME_EXISTS');
    expect(await code(Volume.create('v', { driverOpts: { type: 'tmpfs', device: 'tmpfs' } }))).toBe('ERR_VOLUME_EXISTS');
  });

  it.each(['', '.hidden', '-x', '_x', 'a/b', '../x', '..', 'a b', 'a\0b', 'é', 'x'.repeat(256)])(
    'rejects the name %j and creates nothing',
    async (name) => {
      expect(await code(Volume.create(name))).toBe('ERR_INVALID_VOLUME_NAME');
      expect(await code(Volume.get(name))).toBe('ERR_INVALID_VOLUME_NAME');
      expect(await code(Volume.remove(name))).toBe('ERR_INVALID_VOLUME_NAME');
      expect(await readdir(root)).toEqual([]);
    },
  );

  it('accepts names with inner dots, dashes and underscores', async () => {
    for (const name of ['a', 'A1', 'my_vol.v-2', 'x'.repeat(255)]) expect((await Volume.create(name)).name).toBe(name);
  });

  it.each([
    [{ size: '1m' }, /unknown driver option "size"/],
    [{ type: 'tmpfs' }, /need both type and device/],
    [{ device: '/dev/sda1' }, /need both type and device/],
    [{ type: 'tmpfs', device: '--bind' }, /invalid value/],
    [{ type: 'tmpfs', device: 'tmpfs', o: '-oremount' }, /invalid value/],
  ])('rejects driver options %j', async (driverOpts, message) => {
    await expect(Volume.create('v', { driverOpts })).rejects.toThrow(message);
    expect(await code(Volume.get('v'))).toBe('ERR_VOLUME_NOT_FOUND');
  });

  it('fails to get or inspect a missing volume', async () => {
    expect(await code(Volume.get('nope'))).toBe('ERR_VOLUME_NOT_FOUND');
    const v = await Volume.create('gone');
    await Volume.remove('gone');
    expect(await code(v.inspect())).toBe('ERR_VOLUME_NOT_FOUND');
  });

  it('reports a corrupt volume.json', async () => {
    await Volume.create('bad');
    await writeFile(join(root, 'volumes', 'bad', 'volume.json'), '{"name":"bad"');
    expect(await code(Volume.get('bad'))).toBe('ERR_VOLUME_CORRUPT');
    await writeFile(join(root, 'volumes', 'bad', 'volume.json'), '{"name":"other"}');
    expect(await code(Volume.get('bad'))).toBe('ERR_VOLUME_CORRUPT');
  });

  it('serialises concurrent creations of one name', async () => {
    const all = await Promise.all(Array.from({ length: 8 }, () => Volume.create('same')));
    expect(new Set(all.map((v) => v.createdAt.getTime())).size).toBe(1);
    expect((await Volume.list()).map((v) => v.name)).toEqual(['same']);
  });
});

describe('Volume.list', () => {
  it('is empty without a volumes directory', async () => {
    expect(await Volume.list()).toEqual([]);
  });

  it('lists sorted, skips half-made directories, filters by dangling and label', async () => {
    await Volume.create('b', { labels: { tier: 'db' } });
    await Volume.create('a', { labels: { tier: 'web' } });
    await Volume.create('c');
    await mkdir(join(root, 'volumes', 'half', '_data'), { recursive: true });
    await acquireVolume(root, 'c', 'ctr1');
    expect((await Volume.list()).map((v) => v.name)).toEqual(['a', 'b', 'c']);
    expect((await Volume.list({ dangling: true })).map((v) => v.name)).toEqual(['a', 'b']);
    expect((await Volume.list({ dangling: false })).map((v) => v.name)).toEqual(['c']);
    expect((await Volume.list({ label: 'tier' })).map((v) => v.name)).toEqual(['a', 'b']);
    expect((await Volume.list({ label: 'tier=db' })).map((v) => v.name)).toEqual(['b']);
    expect((await Volume.list({ label: 'tier=' })).map((v) => v.name)).toEqual([]);
  });

  it('can create a volume over a half-made directory', async () => {
    await mkdir(join(root, 'volumes', 'half', '_data'), { recursive: true });
    await writeFile(join(root, 'volumes', 'half', '_data', 'junk'), 'x');
    const v = await Volume.create('half');
    expect(await readdir(v.mountpoint)).toEqual([]);
  });
});

describe('Volume.remove and in-use tracking', () => {
  it('removes the volume and its data', async () => {
    const v = await Volume.create('v');
    await mkdir(join(v.mountpoint, 'd'));
    await writeFile(join(v.mountpoint, 'd', 'f'), 'data');
    await v.remove();
    // no volume directory, no trash, no lock file left behind
    expect(await readdir(join(root, 'volumes'))).toEqual([]);
    expect(await code(Volume.remove('v'))).toBe('ERR_VOLUME_NOT_FOUND');
  });

  it('never follows a symlink out of the volume when removing it', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'ocikit-outside-'));
    try {
      await writeFile(join(outside, 'precious'), 'keep');
      const v = await Volume.create('v');
      await symlink(outside, join(v.mountpoint, 'link'));
      await symlink(join(outside, 'precious'), join(v.mountpoint, 'file-link'));
      await Volume.remove('v');
      expect(await readFile(join(outside, 'precious'), 'utf8')).toBe('keep');
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('refuses to remove a volume in use unless forced', async () => {
    await Volume.create('v');
    expect(await acquireVolume(root, 'v', 'c1')).toBe(join(root, 'volumes', 'v', '_data'));
    await acquireVolume(root, 'v', 'c1');
    await acquireVolume(root, 'v', 'c2');
    expect((await Volume.get('v')).usedBy).toEqual(['c1', 'c2']);
    await expect(Volume.remove('v')).rejects.toThrow(/volume v is in use by c1, c2/);
    await releaseVolume(root, 'v', 'c1');
    await releaseVolume(root, 'v', 'unknown');
    expect(await code(Volume.remove('v'))).toBe('ERR_VOLUME_IN_USE');
    await releaseVolume(root, 'v', 'c2');
    expect((await Volume.get('v')).usedBy).toEqual([]);
    await Volume.remove('v');

    await Volume.create('w');
    await acquireVolume(root, 'w', 'c3');
    await Volume.remove('w', { force: true });
    expect(await code(Volume.get('w'))).toBe('ERR_VOLUME_NOT_FOUND');
    await expect(releaseVolume(root, 'w', 'c3')).resolves.toBeUndefined();
  });

  it('validates container ids and volume existence', async () => {
    await Volume.create('v');
    expect(await code(acquireVolume(root, 'v', '../x'))).toBe('ERR_INVALID_CONTAINER_ID');
    expect(await code(acquireVolume(root, 'v', ''))).toBe('ERR_INVALID_CONTAINER_ID');
    expect(await code(acquireVolume(root, 'missing', 'c1'))).toBe('ERR_VOLUME_NOT_FOUND');
  });

  it('counts concurrent acquisitions exactly', async () => {
    await Volume.create('v');
    const ids = Array.from({ length: 20 }, (_, i) => `c${i}`);
    await Promise.all(ids.map((id) => acquireVolume(root, 'v', id)));
    expect([...(await Volume.get('v')).usedBy].sort()).toEqual([...ids].sort());
    await Promise.all(ids.slice(0, 15).map((id) => releaseVolume(root, 'v', id)));
    expect([...(await Volume.get('v')).usedBy].sort()).toEqual(ids.slice(15).sort());
  });
});

describe('Volume.prune', () => {
  it('removes unused anonymous volumes, and unused named ones with all', async () => {
    const anon = await Volume.create();
    const anonUsed = await Volume.create();
    await Volume.create('named');
    await acquireVolume(root, anonUsed.name, 'c1');
    expect(await Volume.prune()).toEqual([anon.name]);
    expect((await Volume.list()).map((v) => v.name).sort()).toEqual([anonUsed.name, 'named'].sort());
    expect(await Volume.prune({ all: true })).toEqual(['named']);
    expect((await Volume.list()).map((v) => v.name)).toEqual([anonUsed.name]);
  });
});
