import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync, unlinkSync, chmodSync, createReadStream, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffOverlay, unpackLayers } from '../../../lib/layer/index.js';
import { OverlaySnapshotter, mountOverlay, unmount, overlaySupported } from '../../../lib/snapshot/index.js';
import { testImageTars } from '../../helpers/image-fixture.js';
import { writeLayout } from '../../helpers/oci-layout.js';
import { sha256 } from '../../helpers/tar-fixtures.js';
import { treeListing } from '../../helpers/tree.js';

let base: string;
let target: string | undefined;
beforeAll(() => { base = mkdtempSync(join(tmpdir(), 'ocikit-odiff-')); });
afterAll(() => {
  if (target !== undefined) unmount(target, true);
  rmSync(base, { recursive: true, force: true });
});

(overlaySupported() ? describe : describe.skip)('diffOverlay', () => {
  test('lists changes and writes a layer that reproduces the merged tree', async () => {
    const layout = writeLayout(join(base, 'image'), testImageTars());
    const snap = new OverlaySnapshotter(join(base, 'store'));
    const prepared = await snap.prepare('c', layout.layers);
    if (prepared.kind !== 'overlay') throw new Error('expected overlay');
    const merged = join(base, 'merged');
    mkdirSync(merged);
    mountOverlay(prepared.mount, merged);
    target = merged;
    writeFileSync(join(merged, 'etc/added'), 'new');
    writeFileSync(join(merged, 'etc/passwd'), 'changed\n');
    unlinkSync(join(merged, 'etc/hosts-link'));
    rmSync(join(merged, 'opt/app'), { recursive: true });
    mkdirSync(join(merged, 'opt/app'));
    writeFileSync(join(merged, 'opt/app/fresh'), 'fresh');
    chmodSync(join(merged, 'bin/sh'), 0o700);
    const want = treeListing(merged, { nlink: false });
    unmount(merged);
    target = undefined;

    const changes = diffOverlay(prepared.mount);
    expect(changes.list).toEqual(expect.arrayContaining([
      { kind: 'A', path: '/etc/added' }, { kind: 'C', path: '/etc/passwd' }, { kind: 'D', path: '/etc/hosts-link' },
      { kind: 'C', path: '/opt/app' }, { kind: 'A', path: '/opt/app/fresh' }, { kind: 'C', path: '/bin/sh' },
    ]));
    const out = join(base, 'layer.tar.gz');
    const blob = await changes.write(createWriteStream(out));
    expect(blob.digest).toBe(sha256(readFileSync(out)));
    const again = await changes.write(createWriteStream(join(base, 'again.tar.gz')));
    expect([again.digest, again.diffId]).toEqual([blob.digest, blob.diffId]);

    const flat = join(base, 'flat');
    await unpackLayers([...layout.layers, { stream: createReadStream(out), mediaType: blob.mediaType, diffId: blob.diffId }], flat);
    expect(treeListing(flat, { nlink: false })).toEqual(want);
  });
});
