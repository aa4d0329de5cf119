// Image.remove refuses to take an image from its containers unless forced (issue 10, item 6).
import { jest } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Container } from '../../../lib/container/index.js';
import { ImageInUseError } from '../../../lib/errors.js';
import { Image } from '../../../lib/image/index.js';
import { writeBusyboxTar } from '../../helpers/busybox-rootfs.js';

const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;
jest.setTimeout(30_000);

asRoot('Image.remove of an image containers use', () => {
  let tmp: string;
  let image: Image;
  const containers: Container[] = [];
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ocikit-rmi-use-'));
    image = await Image.import(writeBusyboxTar(join(tmp, 'rootfs.tar')), { ref: 'rmiuse/base:1', changes: ['ENV PATH=/bin'] });
  });
  afterAll(async () => {
    for (const c of containers) await c.remove({ force: true }).catch(() => undefined);
    for (const r of ['rmiuse/base:1', 'rmiuse/base:2', 'rmiuse/committed:1', image.id]) await Image.remove(r, { force: true }).catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  });

  test('refused without force for a created or running container, by name or id; other tags may go', async () => {
    const created = await Container.create(image, { cmd: ['true'] });
    containers.push(created);
    const err = await Image.remove('rmiuse/base:1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageInUseError);
    expect(err).toMatchObject({ code: 'ERR_IMAGE_USED_BY_CONTAINER', containers: [created.id] });
    expect((err as Error).message).toMatch(/^conflict: unable to remove repository reference "rmiuse\/base:1" \(must force\) - container [0-9a-f]{12} \(.+, created\) is using its referenced image/);
    await expect(Image.remove(image.id)).rejects.toMatchObject({ code: 'ERR_IMAGE_USED_BY_CONTAINER' });
    expect((await Image.get('rmiuse/base:1')).id).toBe(image.id);

    const running = await Container.run(image, { cmd: ['sleep', '60'], detach: true });
    containers.push(running);
    await created.remove();
    await expect(Image.remove('rmiuse/base:1')).rejects.toMatchObject({ code: 'ERR_IMAGE_USED_BY_CONTAINER', containers: [running.id] });

    // another name still holds it: untagging one name is fine, as in Docker
    await image.tag('rmiuse/base:2');
    expect(await Image.remove('rmiuse/base:1')).toEqual(['docker.io/rmiuse/base:1']);
    await expect(Image.remove('rmiuse/base:2')).rejects.toBeInstanceOf(ImageInUseError);
  });

  test('with force: untagged, but the container keeps running, restarting and committing', async () => {
    const c = containers.at(-1) as Container;
    expect(await Image.remove('rmiuse/base:2', { force: true })).toEqual(['docker.io/rmiuse/base:2']);
    await expect(Image.get('rmiuse/base:2')).rejects.toMatchObject({ code: 'ERR_IMAGE_NOT_FOUND' });
    expect((await Image.get(image.id)).id).toBe(image.id); // kept, untagged (`<none>`)
    expect(await (await c.exec(['sh', '-c', 'echo changed > /f'])).exitCode).toBe(0);
    const committed = await c.commit({ ref: 'rmiuse/committed:1' });
    expect(committed.config.rootfs.diff_ids.slice(0, 1)).toEqual(image.config.rootfs.diff_ids);
    await c.restart({ timeout: 0 });
    expect((await c.inspect()).State.Running).toBe(true);
    await c.remove({ force: true });
    // once nothing uses it, it goes by id like any image
    expect(await Image.remove(image.id)).toEqual([image.digest]);
    await expect(Image.get(image.id)).rejects.toMatchObject({ code: 'ERR_IMAGE_NOT_FOUND' });
  });
});
