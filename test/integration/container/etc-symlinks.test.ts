// /etc/resolv.conf, /etc/hosts, /etc/hostname that are dangling symlinks in the image (as in
// images using systemd-resolved): the container starts with ocikit's files, and nothing is
// created outside the container's root.
import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Container } from '../../../lib/container/index.js';
import { resolvConfContent } from '../../../lib/container/etc-files.js';
import { loadBusybox, removeMine } from './helpers.js';

const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;
jest.setTimeout(30_000);

const hostResolv = (): string | undefined => (existsSync('/etc/resolv.conf') ? readFileSync('/etc/resolv.conf', 'utf8') : undefined);

async function output(c: Container): Promise<string> {
  const out: Buffer[] = [];
  c.stdout.on('data', (d: Buffer) => out.push(d));
  expect(await c.wait()).toEqual({ exitCode: 0, oomKilled: false });
  return Buffer.concat(out).toString();
}

asRoot('etc files that are symlinks in the image', () => {
  afterAll(async () => {
    await removeMine();
  });

  test('dangling relative symlinks: the targets are created inside the root and bound', async () => {
    await loadBusybox('ocikit-test/resolved:latest', {}, {
      'etc/resolv.conf': { symlink: '../run/systemd/resolve/stub-resolv.conf' },
      'etc/hosts': { symlink: 'missing-dir/hosts' },
      'etc/hostname': { symlink: '/var/lib/hostname' },
    });
    const c = await Container.run('ocikit-test/resolved', {
      hostname: 'linked', extraHosts: ['db:10.1.2.3'], cmd: ['sh', '-c', 'cat /etc/resolv.conf; echo ---; cat /etc/hostname; grep db /etc/hosts; readlink /etc/resolv.conf'],
    });
    try {
      const [resolv, rest] = (await output(c)).split('---\n');
      expect(resolv).toBe(resolvConfContent('none', hostResolv()));
      expect(rest?.trim().split('\n')).toEqual(['linked', '10.1.2.3\tdb', '../run/systemd/resolve/stub-resolv.conf']);
    } finally {
      await c.remove();
    }
  });

  test('a symlink pointing out of the root creates nothing outside it', async () => {
    const name = `ocikit-escape-${randomBytes(6).toString('hex')}`;
    await loadBusybox('ocikit-test/escape:latest', {}, { 'etc/resolv.conf': { symlink: `/../../../../tmp/${name}` }, 'etc/hostname': { symlink: `../../../../../tmp/${name}-h` } });
    const c = await Container.run('ocikit-test/escape', { hostname: 'inside', cmd: ['sh', '-c', `cat /tmp/${name}-h; test -f /tmp/${name} && echo resolv-inside; cat /etc/resolv.conf`] });
    try {
      expect(await output(c)).toBe(`inside\nresolv-inside\n${resolvConfContent('none', hostResolv())}`);
    } finally {
      await c.remove();
    }
    expect(existsSync(`/tmp/${name}`)).toBe(false);
    expect(existsSync(`/tmp/${name}-h`)).toBe(false);
  });
});
