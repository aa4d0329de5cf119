// Removing an image also removes the unpacked layers (snapshots) that only it used, and keeps
// the ones another image or a container still needs.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Container } from '../../../lib/container/index.js';
import { Image } from '../../../lib/image/index.js';
import { storageRoot } from '../../../lib/paths.js';
import { chainIds, createSnapshotter } from '../../../lib/snapshot/index.js';
import { writeBusyboxTar } from '../../helpers/busybox-rootfs.js';

let base: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'ocikit-snapgc-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** Whether the snapshotter holds a complete unpacked tree for the top layer of `image`. */
function unpacked(image: Image): boolean {
  const top = chainIds(image.config.rootfs.diff_ids).at(-1) as string;
  const hex = top.slice('sha256:'.length);
  const kind = createSnapshotter(storageRoot()).kind;
  const dir = kind === 'overlay' ? join(storageRoot(), 'snapshots') : join(storageRoot(), 'snapshots', 'flat');
  return readdirSync(dir).includes(hex);
}

test('Image.remove collects the snapshots only the removed image used', async () => {
  const a = await Image.import(writeBusyboxTar(join(base, 'rootfs.tar')), { ref: 'snapgc/base:1', changes: ['ENV PATH=/bin'] });
  const c = await Container.run(a, { cmd: ['sh', '-c', 'echo x > /added'] });
  expect((await c.wait()).exitCode).toBe(0);
  const b = await c.commit({ ref: 'snapgc/derived:1' });
  await c.remove({ force: true });

  const user = await Container.run(b, { cmd: ['true'] });
  expect((await user.wait()).exitCode).toBe(0);
  await user.remove({ force: true });
  expect(unpacked(a)).toBe(true);
  expect(unpacked(b)).toBe(true);

  await Image.remove('snapgc/derived:1');
  expect(unpacked(b)).toBe(false);
  expect(unpacked(a)).toBe(true); // the base image still needs its layer

  const holder = await Container.create(a, { cmd: ['true'] });
  await Image.remove('snapgc/base:1', { force: true }); // without force, refused: a container uses it
  await holder.start();
  expect((await holder.wait()).exitCode).toBe(0); // a container keeps its layers even without its image
  await holder.remove({ force: true });
  await Image.remove(a.id); // kept untagged for the container until now
});
