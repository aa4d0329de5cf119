import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { OverlaySnapshotter, mountOverlay, unmount, overlaySupported } from '../../../lib/snapshot/index.js';
import { buildTar, sha256 } from '../../helpers/tar-fixtures.js';

let base: string;
let mounted: string | undefined;
beforeAll(() => { base = mkdtempSync(join(tmpdir(), 'ocikit-many-')); });
afterAll(() => {
  if (mounted !== undefined) unmount(mounted, true);
  rmSync(base, { recursive: true, force: true });
});

const layerOf = (tar: Buffer) => ({ stream: Readable.from([tar]), mediaType: 'application/vnd.oci.image.layer.v1.tar', diffId: sha256(tar) });

(overlaySupported() ? describe : describe.skip)('overlay with many layers', () => {
  test('120 layers mount within the one-page mount data limit', async () => {
    const tars = Array.from({ length: 120 }, (_, i) => buildTar([{ name: `layer-${i}`, content: String(i) }, { name: 'top', content: String(i) }]));
    const snap = new OverlaySnapshotter(join(base, `store-with-a-long-name-${'x'.repeat(60)}`));
    const prepared = await snap.prepare('many', tars.map(layerOf));
    if (prepared.kind !== 'overlay') throw new Error('expected overlay');
    expect(Buffer.byteLength(prepared.mount.options)).toBeLessThan(4096);
    const target = join(base, 'm');
    mkdirSync(target);
    mountOverlay(prepared.mount, target);
    mounted = target;
    expect(readFileSync(join(target, 'layer-0'), 'utf8')).toBe('0');
    expect(readFileSync(join(target, 'top'), 'utf8')).toBe('119');
    expect(readdirSync(target)).toHaveLength(121);
    unmount(target);
    mounted = undefined;
  });

  test('concurrent prepares of the same layers unpack each snapshot once', async () => {
    const root = join(base, 'store-concurrent');
    const tar = buildTar([{ name: 'f', content: Buffer.alloc(200_000, 3) }]);
    const a = new OverlaySnapshotter(root);
    const b = new OverlaySnapshotter(root);
    await Promise.all([a.prepare('one', [layerOf(tar)]), b.prepare('two', [layerOf(tar)])]);
    const names = readdirSync(join(root, 'snapshots')).filter((n) => n !== 'refs' && n !== 'l');
    expect(names).toEqual([sha256(tar).slice(7)]);
    expect(existsSync(join(root, 'snapshots', names[0] as string, '.complete'))).toBe(true);
  });
});
