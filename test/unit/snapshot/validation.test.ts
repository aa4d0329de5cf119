import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OverlaySnapshotter, CopySnapshotter, SnapshotError, overlayOptions } from '../../../lib/snapshot/index.js';

let root: string;
beforeEach(() => { root = mkdtempSync(join(tmpdir(), 'ocikit-snapval-')); });
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('snapshot input validation', () => {
  test.each(['../x', 'a/b', '', '.hidden', 'x'.repeat(200)])('container id %j is refused before any I/O', async (id) => {
    for (const snap of [new OverlaySnapshotter(root), new CopySnapshotter(root)]) {
      await expect(snap.prepare(id, [])).rejects.toMatchObject({ name: 'SnapshotError', code: 'ERR_SNAPSHOT_CONTAINER_ID' });
    }
    expect(existsSync(join(root, 'containers'))).toBe(false);
  });

  test('overlay mount data: separators refused, one page at most', () => {
    expect(overlayOptions(['l/a', 'l/b'], '/u', '/w')).toBe('lowerdir=l/a:l/b,upperdir=/u,workdir=/w,redirect_dir=off,metacopy=off');
    expect(() => overlayOptions(['l/a,b'], '/u', '/w')).toThrow(SnapshotError);
    expect(() => overlayOptions(['l/a:b'], '/u', '/w')).toThrow(expect.objectContaining({ code: 'ERR_SNAPSHOT_PATH' }));
    expect(() => overlayOptions(Array(400).fill('l/abcdefghijkl'), '/u', '/w')).toThrow(expect.objectContaining({ code: 'ERR_SNAPSHOT_TOO_MANY_LAYERS' }));
  });
});
