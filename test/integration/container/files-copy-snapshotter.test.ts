/**
 * The file operations on a container prepared by the copy snapshotter (where
 * overlay mounts are not possible): a synthetic container record whose rootfs
 * is a copied tree and whose base is the unpacked image, as CopySnapshotter
 * leaves them. Nothing runs; diff, export, cp and commit read the trees.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { commitContainer } from '../../../lib/container/commit.js';
import { copyFromContainer, copyToContainer } from '../../../lib/container/copy.js';
import { diffContainer } from '../../../lib/container/diff.js';
import { exportContainer } from '../../../lib/container/export.js';
import type { ContainerState } from '../../../lib/container/state.js';
import { Image } from '../../../lib/image/index.js';
import { writeBusyboxTar } from '../../helpers/busybox-rootfs.js';
import { treeListing } from '../../helpers/tree.js';

let base: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'ocikit-copy-snap-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

async function bytes(s: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(Buffer.from(c as Buffer));
  return Buffer.concat(parts);
}

test('diff, export, cp and commit on a copy-snapshotter container', async () => {
  const root = join(base, 'root');
  const image = await Image.import(writeBusyboxTar(join(base, 'rootfs.tar')), { root, ref: 'copysnap/busybox:1', changes: ['ENV PATH=/bin'] });
  const id = 'c'.repeat(64);
  const dir = join(root, 'containers', id);
  mkdirSync(dir, { recursive: true });
  const flat = join(root, 'snapshots/flat/x/fs');
  await image.unpack(flat);
  const rootfs = join(dir, 'rootfs');
  execFileSync('cp', ['-a', flat, rootfs]);
  writeFileSync(join(dir, 'prepared.json'), JSON.stringify({ kind: 'copy', rootfs, base: flat }));
  // what a container would have done
  writeFileSync(join(rootfs, 'etc/added'), 'added\n');
  unlinkSync(join(rootfs, 'bin/wc'));
  mkdirSync(join(rootfs, 'var/lib/app'), { recursive: true });
  writeFileSync(join(rootfs, 'var/lib/app/db'), 'db');
  const state: ContainerState = {
    version: 1, id, name: 'copysnap', created: new Date().toISOString(),
    image: { ref: 'copysnap/busybox:1', id: image.id, digest: image.digest },
    config: {
      options: { cmd: ['sh', '-c', 'make changes'] },
      merged: { args: ['sh', '-c', 'make changes'], env: ['PATH=/bin'], workdir: '/', user: '', hostname: 'copysnap', labels: {}, stopSignal: 'SIGTERM', stopTimeout: 10, tty: false, openStdin: false },
    },
    status: 'exited', exitCode: 0, oomKilled: false, disposable: false, ownerPid: process.pid, snapshotter: 'copy', rootfs, mounts: [],
  };

  expect((await diffContainer(state)).map((c) => `${c.kind} ${c.path}`)).toEqual([
    'C /bin', 'D /bin/wc', 'C /etc', 'A /etc/added', 'C /var', 'A /var/lib', 'A /var/lib/app', 'A /var/lib/app/db',
  ]);
  const exported = join(base, 'export.tar');
  writeFileSync(exported, await bytes(await exportContainer(state)));
  const names = execFileSync('tar', ['-tf', exported], { encoding: 'utf8' }).split('\n');
  expect(names).toEqual(expect.arrayContaining(['etc/added', 'var/lib/app/db', 'bin/busybox']));
  expect(names).not.toContain('bin/wc');

  const { tar } = await copyFromContainer(state, '/var/lib/app');
  await copyToContainer(state, '/tmp', Readable.from(await bytes(tar)));
  expect((await diffContainer(state)).map((c) => `${c.kind} ${c.path}`)).toEqual(expect.arrayContaining(['C /tmp', 'A /tmp/app', 'A /tmp/app/db']));

  const committed = await commitContainer(root, state, { ref: 'copysnap/committed:1', message: 'copy snapshotter' });
  expect(committed.layers).toHaveLength(2);
  expect(committed.config.history?.at(-1)).toMatchObject({ created_by: 'sh -c make changes', comment: 'copy snapshotter' });
  const out = join(base, 'committed');
  await committed.unpack(out);
  expect(treeListing(out)).toEqual(treeListing(rootfs));
  await Image.remove('copysnap/committed:1', { root });
  await Image.remove('copysnap/busybox:1', { root });
});
