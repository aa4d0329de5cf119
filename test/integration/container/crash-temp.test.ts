// Leftovers of killed processes are collected by the next process (issue 9, item 13): temp files
// of killed blob writes (pull, commit), temp dirs of killed unpacks, and `rm` containers killed
// mid-unpack; temp files of live writers are never touched.
import { jest } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Container } from '../../../lib/container/index.js';
import { Store } from '../../../lib/store/index.js';
import { ingestPath } from '../../../lib/store/ingest.js';
import { containersDir, crashNode, loadBusybox, removeMine } from './helpers.js';

const asRoot = process.geteuid?.() === 0 && existsSync(join(process.cwd(), 'dist', 'index.js')) ? describe : describe.skip;
jest.setTimeout(120_000);

const root = (): string => process.env['OCIKIT_ROOT'] as string;
const ls = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir) : []);

asRoot('leftovers of killed processes', () => {
  afterAll(async () => {
    await removeMine('ocikit-crash-temp/');
  });

  test('a commit killed mid-write: the next process that opens the store removes its temp file, not a live writer’s', async () => {
    const img = 'ocikit-crash-temp/busybox-commit:latest';
    await loadBusybox(img);
    const c = await Container.create(img, { cmd: ['true'] });
    try {
      const ingest = join(root(), 'ingest');
      const before = ls(ingest);
      const r = crashNode(`await (await Container.get(${JSON.stringify(c.id)})).commit();`, 'blob:written');
      expect(r.signal).toBe('SIGKILL');
      const left = ls(ingest).filter((n) => !before.includes(n));
      expect(left).toHaveLength(1); // the killed writer's verified but unpublished temp file
      const live = ingestPath(ingest, 'tmp'); // as this live process would name one
      writeFileSync(live, 'being written');
      await Store.open(root());
      expect(ls(ingest)).not.toContain(left[0]);
      expect(existsSync(live)).toBe(true);
      rmSync(live);
    } finally {
      await c.remove();
    }
  });

  test('an rm container killed mid-unpack: collected by the next list, its temp dir by the next unpack', async () => {
    const img = 'ocikit-crash-temp/busybox-unpack:latest';
    await loadBusybox(img, {}, { [`crash-${process.pid}.txt`]: 'x' }); // a layer nobody unpacked yet
    const snapshots = join(root(), 'snapshots');
    const before = ls(snapshots).filter((n) => n.startsWith('.tmp-'));
    const ids = ls(containersDir()).filter((n) => /^[0-9a-f]{64}$/.test(n));
    const r = crashNode(`await Container.run(${JSON.stringify(img)}, { rm: true, cmd: ['true'] });`, 'unpack:filled');
    expect(r.signal).toBe('SIGKILL');
    const temps = ls(snapshots).filter((n) => n.startsWith('.tmp-') && !before.includes(n));
    expect(temps).toHaveLength(1);
    const ofImage = (n: string): boolean => {
      try {
        return readFileSync(join(containersDir(), n, 'state.json'), 'utf8').includes('ocikit-crash-temp/busybox-unpack');
      } catch {
        return false;
      }
    };
    const killed = ls(containersDir()).filter((n) => /^[0-9a-f]{64}$/.test(n) && !ids.includes(n) && ofImage(n)); // other suites may run
    expect(killed).toHaveLength(1); // left as Created by the killed run
    await Container.list({ all: true });
    expect(existsSync(join(containersDir(), killed[0] as string))).toBe(false);
    const c = await Container.run(img, { cmd: ['cat', `/crash-${process.pid}.txt`] });
    try {
      expect(ls(snapshots)).not.toContain(temps[0]);
      expect(await c.wait()).toMatchObject({ exitCode: 0 });
    } finally {
      await c.remove({ force: true });
    }
  });
});
