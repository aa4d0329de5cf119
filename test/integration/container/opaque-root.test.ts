// An opaque whiteout at a layer's root (`.wh..wh..opq` as a top-level entry) hides every lower
// layer, as `Image.unpack` and umoci apply it. Overlayfs ignores `trusted.overlay.opaque` on a
// lowerdir's root, so the snapshotter must leave the lowers below such a layer out of the mount.
import { readFileSync } from 'node:fs';
import { Container } from '../../../lib/container/index.js';
import { Image } from '../../../lib/image/index.js';
import { loadBusybox } from './helpers.js';

const REF = 'ocikit-test/opaque-root:1';

async function collect(it: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const s of it) out += s;
  return out;
}

afterAll(async () => {
  await Image.remove(REF).catch(() => undefined);
});

test('a layer with an opaque whiteout at its root hides the lower layers in a running overlay container', async () => {
  // lower: busybox with cat, etc/passwd, etc/group, tmp/.keep; upper: opaque root, its own busybox, one file
  const image = await loadBusybox(REF, {}, {
    '.wh..wh..opq': '',
    'bin/busybox': readFileSync('/bin/busybox'),
    'bin/sh': { symlink: 'busybox' },
    'upper-only': 'u\n',
  });
  expect(image.layers).toHaveLength(2);
  const probe = 'for p in /etc/passwd /etc/group /tmp/.keep /bin/cat /bin/ls /upper-only; do [ -e $p ] && echo "$p"; done; true';
  const c = await Container.run(image, { cmd: ['sh', '-c', probe] });
  try {
    expect(await c.wait()).toEqual({ exitCode: 0, oomKilled: false });
    expect(await collect(c.logs({ stderr: false }))).toBe('/upper-only\n');
  } finally {
    await c.remove({ force: true });
  }
});
