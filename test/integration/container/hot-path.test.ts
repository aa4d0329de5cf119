// Container.create and Container.get look at their own container only (issue 12, item 6): no sweep of
// every record on the hot path; Container.list still collects what dead owners left.
import { jest } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Container } from '../../../lib/container/index.js';
import { Image } from '../../../lib/image/index.js';
import { writeBusyboxTar } from '../../helpers/busybox-rootfs.js';
import { runNode } from './helpers.js';

const asRoot = process.geteuid?.() === 0 && existsSync(join(process.cwd(), 'dist', 'index.js')) ? describe : describe.skip;
jest.setTimeout(60_000);

const IMG = 'hotpath/busybox:1';

asRoot('the hot path of create and get', () => {
  let tmp: string;
  let root: string;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ocikit-hot-path-'));
    root = join(tmp, 'root');
    await Image.import(writeBusyboxTar(join(tmp, 'rootfs.tar')), { root, ref: IMG, changes: ['ENV PATH=/bin'] });
  });
  afterAll(async () => {
    for (const c of await Container.list({ root, all: true }).catch(() => [])) await c.remove({ force: true, volumes: true }).catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  });

  /** A disposable container created by another process, which has exited since: its owner is dead. */
  const orphan = (name?: string): string => runNode(`
    const c = await Container.create(${JSON.stringify(IMG)}, { root: ${JSON.stringify(root)}, disposable: true, cmd: ['true']${name !== undefined ? `, name: ${JSON.stringify(name)}` : ''} });
    console.log(c.id);`).trim();

  test('create and get of one container leave the others alone; getting or listing one collects it', async () => {
    const dead = orphan();
    const c = await Container.create(IMG, { root, cmd: ['true'] });
    expect((await Container.get(c.id, { root })).id).toBe(c.id);
    expect((await Container.get(c.name, { root })).id).toBe(c.id);
    expect(existsSync(join(root, 'containers', dead))).toBe(true); // not swept by create or get
    await expect(Container.get(dead, { root })).rejects.toMatchObject({ code: 'ERR_CONTAINER_NOT_FOUND' });
    expect(existsSync(join(root, 'containers', dead))).toBe(false); // observing it collected it

    const other = orphan();
    expect((await Container.list({ root, all: true })).map((x) => x.id)).toEqual([c.id]);
    expect(existsSync(join(root, 'containers', other))).toBe(false);
    await c.remove();
  });

  test('a name held by a disposable container whose owner died is taken by create', async () => {
    const name = `hot-${process.pid}`;
    const dead = orphan(name);
    const c = await Container.create(IMG, { root, name, cmd: ['true'] });
    expect(c.name).toBe(name);
    expect(c.id).not.toBe(dead);
    expect(existsSync(join(root, 'containers', dead))).toBe(false);
    await c.remove();
  });
});
