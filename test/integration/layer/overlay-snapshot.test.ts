import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { diffDirectories, unpackLayers } from '../../../lib/layer/index.js';
import { CopySnapshotter, OverlaySnapshotter, mountOverlay, unmount, overlaySupported, chainIds } from '../../../lib/snapshot/index.js';
import { testImageTars } from '../../helpers/image-fixture.js';
import { writeLayout } from '../../helpers/oci-layout.js';
import { buildTar, sha256 } from '../../helpers/tar-fixtures.js';
import { treeListing } from '../../helpers/tree.js';

let base: string;
const mounted: string[] = [];
beforeAll(() => { base = mkdtempSync(join(tmpdir(), 'ocikit-snap-')); });
afterAll(() => {
  for (const m of mounted.reverse()) { try { unmount(m, true); } catch { /* already unmounted */ } }
  rmSync(base, { recursive: true, force: true });
});

const ovl = overlaySupported() ? describe : describe.skip;

ovl('OverlaySnapshotter', () => {
  test('overlay of per-layer snapshots shows the same tree as unpackLayers', async () => {
    const layout = writeLayout(join(base, 'image'), testImageTars());
    const root = join(base, 'store');
    const snap = new OverlaySnapshotter(root);
    const prepared = await snap.prepare('c1', layout.layers);
    if (prepared.kind !== 'overlay') throw new Error('expected overlay');
    const keys = chainIds(layout.layers.map((l) => l.diffId));
    for (const k of keys) expect(existsSync(join(root, 'snapshots', k.slice(7), '.complete'))).toBe(true);
    expect(prepared.mount.options).toMatch(/^lowerdir=l\/\w{12}:l\/\w{12}:l\/\w{12},upperdir=.*redirect_dir=off,metacopy=off$/);
    const target = join(base, 'merged');
    mkdirSync(target);
    mountOverlay(prepared.mount, target);
    mounted.push(target);
    const ours = join(base, 'flat');
    await unpackLayers(layout.layers, ours);
    // Link counts differ by design: a lower inode keeps its count when an upper layer whites out one of its names.
    expect(treeListing(target, { nlink: false })).toEqual(treeListing(ours, { nlink: false }));
    // writes go to the container's upper dir only
    writeFileSync(join(target, 'etc/new'), 'x');
    unlinkSync(join(target, 'etc/passwd'));
    expect(readdirSync(join(root, 'containers/c1/upper/etc')).sort()).toEqual(['new', 'passwd']);
    expect(existsSync(join(snap.snapshotPath(keys[0] as string), 'etc/passwd'))).toBe(true);
    unmount(target);
    mounted.pop();
  });

  test('reference counts keep shared snapshots until the last holder goes; gc removes the rest', async () => {
    const root = join(base, 'store-gc');
    const snap = new OverlaySnapshotter(root);
    const mk = (name: string) => {
      const tar = buildTar([{ name, content: name }]);
      return { stream: Readable.from([tar]), mediaType: 'application/vnd.oci.image.layer.v1.tar', diffId: sha256(tar) };
    };
    const baseTar = buildTar([{ name: 'base', content: 'base' }]);
    const baseLayer = () => ({ stream: Readable.from([baseTar]), mediaType: 'application/vnd.oci.image.layer.v1.tar', diffId: sha256(baseTar) });
    await snap.prepare('a', [baseLayer(), mk('a')]);
    await snap.prepare('b', [baseLayer(), mk('b')]);
    await snap.retain('img1', [baseLayer()]);
    const list = () => readdirSync(join(root, 'snapshots')).filter((n) => /^[0-9a-f]{64}$/.test(n)).length;
    expect(list()).toBe(3);
    await snap.remove('a');
    expect(snap.gc().removed).toHaveLength(1);
    await snap.remove('b');
    expect(snap.gc().removed).toHaveLength(1);
    expect(list()).toBe(1);
    snap.release('img1');
    expect(snap.gc().removed).toHaveLength(1);
    expect(list()).toBe(0);
  });

  test('SECURITY 6: a layer that fails leaves no snapshot marked complete', async () => {
    const root = join(base, 'store-bad');
    const snap = new OverlaySnapshotter(root);
    const tar = buildTar([{ name: 'f', content: 'x' }]);
    const truncated = tar.subarray(0, 700);
    await expect(snap.prepare('bad', [{ stream: Readable.from([truncated]), mediaType: 'application/vnd.oci.image.layer.v1.tar', diffId: sha256(tar) }]))
      .rejects.toMatchObject({ name: 'LayerError' });
    expect(snap.has(sha256(tar))).toBe(false);
    expect(readdirSync(join(root, 'snapshots')).filter((n) => n !== 'refs')).toEqual([]);
  });
});

describe('CopySnapshotter', () => {
  test('gives each container its own copy of a shared base; diffs against the base; gc after the last holder', async () => {
    const layout = writeLayout(join(base, 'image-copy'), testImageTars());
    const root = join(base, 'store-copy');
    const snap = new CopySnapshotter(root);
    const a = await snap.prepare('a', layout.layers);
    const b = await snap.prepare('b', layout.layers);
    if (a.kind !== 'copy' || b.kind !== 'copy') throw new Error('expected copy');
    expect(a.base).toBe(b.base);
    expect(snap.basePath('a')).toBe(a.base);
    const flat = join(base, 'flat-copy');
    await unpackLayers(layout.layers, flat);
    expect(treeListing(a.rootfs)).toEqual(treeListing(flat));
    writeFileSync(join(a.rootfs, 'etc/new'), 'x');
    unlinkSync(join(a.rootfs, 'etc/passwd'));
    expect(diffDirectories(a.base, a.rootfs).list).toEqual([
      { kind: 'C', path: '/etc' }, { kind: 'A', path: '/etc/new' }, { kind: 'D', path: '/etc/passwd' },
    ]);
    expect(treeListing(b.rootfs)).toEqual(treeListing(flat));
    await snap.remove('a');
    expect(existsSync(a.rootfs)).toBe(false);
    expect(snap.gc().removed).toEqual([]);
    await snap.remove('b');
    expect(snap.gc().removed).toHaveLength(1);
    expect(existsSync(a.base)).toBe(false);
  });
});
