// Storage as a value (issue 12, item 1): two storage roots used at once in one process, with
// OCIKIT_ROOT unset, never see each other's images, containers, volumes or locks, and the
// default root is not touched.
import { jest } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Container } from '../../../lib/container/index.js';
import { Image } from '../../../lib/image/index.js';
import { storageRoot } from '../../../lib/paths.js';
import { Volume } from '../../../lib/volume/index.js';
import { withVolumesLock } from '../../../lib/volume/volume-record.js';
import { buildBusyboxImage, pushBuiltImage } from '../../helpers/images.js';
import { startRegistry, type RegistryServer } from '../../helpers/registry-server.js';
import { cgroupsOf, mountedUnder } from './helpers.js';

const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;
jest.setTimeout(60_000);

/** What lies under `dir`, two levels deep, or undefined when it does not exist. */
function listing(dir: string): string[] | undefined {
  if (!existsSync(dir)) return undefined;
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? [e.name, ...readdirSync(join(dir, e.name)).map((f) => `${e.name}/${f}`)] : [e.name]).sort();
}

asRoot('two storage roots in one process', () => {
  const savedRoot = process.env['OCIKIT_ROOT'];
  let server: RegistryServer;
  let tmp: string;
  let ref: string;
  let defaultRoot: string;
  let defaultBefore: string[] | undefined;
  const roots: string[] = [];

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ocikit-two-roots-'));
    server = await startRegistry();
    const built = await buildBusyboxImage(tmp);
    await pushBuiltImage(built, server.host, 'tworoots/busybox:1');
    ref = `${server.host}/tworoots/busybox:1`;
    delete process.env['OCIKIT_ROOT'];
    defaultRoot = storageRoot();
    defaultBefore = listing(defaultRoot);
    roots.push(join(tmp, 'a'), join(tmp, 'b'));
  });

  afterAll(async () => {
    for (const root of roots) {
      for (const c of await Container.list({ root, all: true }).catch(() => [])) await c.remove({ force: true, volumes: true }).catch(() => undefined);
    }
    if (savedRoot !== undefined) process.env['OCIKIT_ROOT'] = savedRoot;
    await server?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('pull, run, volume and remove on both at once stay apart; the default root is untouched', async () => {
    const [a, b] = roots as [string, string];
    // the same names in both roots: a volume and a container each
    const [va, vb] = await Promise.all([
      Volume.create('data', { root: a, labels: { root: 'a' } }),
      Volume.create('data', { root: b, labels: { root: 'b' } }),
    ]);
    expect([va.labels['root'], vb.labels['root']]).toEqual(['a', 'b']);
    expect(va.mountpoint.startsWith(`${a}/`)).toBe(true);
    expect(vb.mountpoint.startsWith(`${b}/`)).toBe(true);

    // automatic pulls into each root, with the platform named
    const run = (root: string, word: string): Promise<Container> => Container.run(ref, {
      root, name: 'web', platform: 'linux/amd64', mounts: [{ type: 'volume', source: 'data', target: '/data' }],
      cmd: ['sh', '-c', `echo ${word} > /data/word; echo ${word}`],
    });
    const [ca, cb] = await Promise.all([run(a, 'alpha'), run(b, 'beta')]);
    expect(ca.name).toBe('web');
    expect(cb.name).toBe('web');
    expect(ca.id).not.toBe(cb.id);
    await Promise.all([ca.wait(), cb.wait()]);

    // each root sees its own image, container and volume, and only those
    for (const [root, mine, other, word] of [[a, ca, cb, 'alpha'], [b, cb, ca, 'beta']] as const) {
      expect((await Image.list({ root })).map((i) => i.id)).toHaveLength(1);
      expect((await Container.list({ root, all: true })).map((c) => c.id)).toEqual([mine.id]);
      expect((await Container.get('web', { root })).id).toBe(mine.id);
      await expect(Container.get(other.id, { root })).rejects.toMatchObject({ code: 'ERR_CONTAINER_NOT_FOUND' });
      const logs: string[] = [];
      for await (const line of mine.logs()) logs.push(line);
      expect(logs.join('')).toBe(`${word}\n`);
      expect((await Volume.get('data', { root })).usedBy).toEqual([mine.id]);
      expect((await Volume.list({ root })).map((v) => v.name)).toEqual(['data']);
    }

    // a lock held in one root does not hold the other
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const holding = withVolumesLock(a, () => held);
    await Volume.create('other', { root: b });
    release();
    await holding;

    // removal through the instances works on their own roots
    await ca.remove({ volumes: true });
    await expect(Container.get('web', { root: a })).rejects.toMatchObject({ code: 'ERR_CONTAINER_NOT_FOUND' });
    expect((await Container.get('web', { root: b })).id).toBe(cb.id);
    await cb.remove();
    await Volume.remove('data', { root: a });
    expect((await Volume.list({ root: b })).map((v) => v.name)).toEqual(['data', 'other']);
    await vb.remove();
    await Volume.remove('other', { root: b });
    await Image.remove(ref, { root: a });
    expect(await Image.list({ root: a })).toEqual([]);
    expect(await Image.list({ root: b })).toHaveLength(1);
    await Image.remove(ref, { root: b });

    for (const root of [a, b]) {
      expect(mountedUnder(root)).toEqual([]);
      expect(await Container.list({ root, all: true })).toEqual([]);
      expect(await Volume.list({ root })).toEqual([]);
    }
    expect(cgroupsOf(ca.id)).toEqual([]);
    expect(cgroupsOf(cb.id)).toEqual([]);
    expect(listing(defaultRoot)).toEqual(defaultBefore);
  });

  test('an Image of one root is refused by create in another', async () => {
    const [a, b] = roots as [string, string];
    const img = await Image.pull(ref, { root: a });
    try {
      await expect(Container.create(img, { root: b, cmd: ['true'] })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
      expect(await Container.list({ root: b, all: true })).toEqual([]);
    } finally {
      await Image.remove(ref, { root: a });
    }
    expect(listing(defaultRoot)).toEqual(defaultBefore);
  });
});
