import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LOCALHOST_HOSTS,
  etcFileDestinations,
  etcFileMounts,
  hostsContent,
  resolvConfContent,
  writeEtcFiles,
} from '../../../lib/container/etc-files.js';

const HOST_HOSTS = '127.0.0.1 localhost\n10.0.0.5 buildhost.example buildhost\n';
const HOST_RESOLV = '# generated\nnameserver 127.0.0.53\nnameserver 10.0.0.1\nnameserver ::1\nsearch example.com\noptions ndots:2\n';

describe('/etc/hosts, /etc/hostname, /etc/resolv.conf', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ocikit-etc-'));
    await writeFile(join(dir, 'host-hosts'), HOST_HOSTS);
    await writeFile(join(dir, 'host-resolv'), HOST_RESOLV);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives a container without network loopback names only, plus --add-host entries', () => {
    expect(hostsContent('none', HOST_HOSTS)).toBe(LOCALHOST_HOSTS);
    expect(LOCALHOST_HOSTS).toMatch(/^127\.0\.0\.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n/);
    expect(hostsContent('none', undefined, ['db:10.1.2.3', 'v6:[fd00::1]'])).toBe(`${LOCALHOST_HOSTS}10.1.2.3\tdb\nfd00::1\tv6\n`);
    expect(() => hostsContent('none', undefined, ['nocolon'])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    expect(() => hostsContent('none', undefined, ['x:not-an-ip'])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
  });

  it("copies the host's files for host networking", () => {
    expect(hostsContent('host', HOST_HOSTS)).toBe(HOST_HOSTS);
    expect(hostsContent('host', 'no newline', ['a:1.2.3.4'])).toBe('no newline\n1.2.3.4\ta\n');
    expect(resolvConfContent('host', HOST_RESOLV)).toBe(HOST_RESOLV);
  });

  it('drops loopback nameservers without host networking', () => {
    expect(resolvConfContent('none', HOST_RESOLV)).toBe('# generated\nnameserver 10.0.0.1\nsearch example.com\noptions ndots:2\n');
    expect(resolvConfContent('none', undefined)).toBe('');
  });

  it('writes the three files into the container directory', async () => {
    const files = await writeEtcFiles(dir, {
      hostname: 'abc123',
      network: 'none',
      hostHostsPath: join(dir, 'host-hosts'),
      hostResolvConfPath: join(dir, 'host-resolv'),
    });
    expect(files).toEqual({ hosts: join(dir, 'hosts'), hostname: join(dir, 'hostname'), resolvConf: join(dir, 'resolv.conf') });
    expect(await readFile(files.hostname, 'utf8')).toBe('abc123\n');
    expect(await readFile(files.hosts, 'utf8')).toBe(LOCALHOST_HOSTS);
    expect(await readFile(files.resolvConf, 'utf8')).not.toContain('127.0.0.53');
    expect((await stat(files.hosts)).mode & 0o777).toBe(0o644);

    const host = await writeEtcFiles(dir, {
      hostname: 'h',
      network: 'host',
      hostHostsPath: join(dir, 'host-hosts'),
      hostResolvConfPath: join(dir, 'missing'),
    });
    expect(await readFile(host.hosts, 'utf8')).toBe(HOST_HOSTS);
    expect(await readFile(host.resolvConf, 'utf8')).toBe('');
  });

  it('binds them like Docker, skipping user-mounted targets, ro with a read-only rootfs', () => {
    const files = { hosts: '/c/hosts', hostname: '/c/hostname', resolvConf: '/c/resolv.conf' };
    expect(etcFileMounts(files, new Set(), false)).toEqual([
      { destination: '/etc/resolv.conf', type: 'bind', source: '/c/resolv.conf', options: ['rbind', 'rprivate', 'rw'] },
      { destination: '/etc/hostname', type: 'bind', source: '/c/hostname', options: ['rbind', 'rprivate', 'rw'] },
      { destination: '/etc/hosts', type: 'bind', source: '/c/hosts', options: ['rbind', 'rprivate', 'rw'] },
    ]);
    const ro = etcFileMounts(files, new Set(['/etc/hosts']), true);
    expect(ro.map((m) => m.destination)).toEqual(['/etc/resolv.conf', '/etc/hostname']);
    expect(ro.every((m) => m.options?.includes('ro'))).toBe(true);
  });

  it('binds on what image symlinks name inside the root, and refuses links into /proc', async () => {
    const root = join(dir, 'rootfs');
    await mkdir(join(root, 'etc'), { recursive: true });
    await symlink('../run/systemd/resolve/stub-resolv.conf', join(root, 'etc', 'resolv.conf'));
    await symlink('/../../../../host-file', join(root, 'etc', 'hosts'));
    await writeFile(join(root, 'etc', 'hostname'), 'img\n');
    const to = await etcFileDestinations(root);
    expect(to).toEqual({ resolvConf: '/run/systemd/resolve/stub-resolv.conf', hosts: '/host-file', hostname: '/etc/hostname' });
    const files = { hosts: '/c/hosts', hostname: '/c/hostname', resolvConf: '/c/resolv.conf', destinations: to };
    expect(etcFileMounts(files, new Set(), false).map((m) => m.destination)).toEqual(['/run/systemd/resolve/stub-resolv.conf', '/etc/hostname', '/host-file']);
    // a user mount on /etc/resolv.conf still replaces it
    expect(etcFileMounts(files, new Set(['/etc/resolv.conf']), false).map((m) => m.destination)).toEqual(['/etc/hostname', '/host-file']);
    await rm(join(root, 'etc', 'hostname'));
    await symlink('/proc/sys/kernel/hostname', join(root, 'etc', 'hostname'));
    await expect(etcFileDestinations(root)).rejects.toMatchObject({ code: 'ERR_INVALID_MOUNT' });
  });
});
