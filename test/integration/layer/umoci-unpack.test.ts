import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unpackLayers } from '../../../lib/layer/index.js';
import { testImageTars } from '../../helpers/image-fixture.js';
import { writeLayout } from '../../helpers/oci-layout.js';
import { treeListing } from '../../helpers/tree.js';

let base: string;
beforeAll(() => { base = mkdtempSync(join(tmpdir(), 'ocikit-umoci-')); });
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('unpackLayers against umoci', () => {
  test('the tree equals `umoci unpack` rootfs for an image with whiteouts and an opaque whiteout', async () => {
    const layout = writeLayout(join(base, 'image'), testImageTars());
    execFileSync('umoci', ['unpack', '--image', `${join(base, 'image')}:test`, join(base, 'bundle')], { stdio: 'pipe' });
    const ours = join(base, 'ours');
    const results = await unpackLayers(layout.layers, ours);
    expect(results.map((r) => r.diffId)).toEqual(layout.layers.map((l) => l.diffId));
    const theirs = treeListing(join(base, 'bundle/rootfs'));
    expect(theirs.length).toBeGreaterThan(25);
    expect(treeListing(ours)).toEqual(theirs);
  });
});
