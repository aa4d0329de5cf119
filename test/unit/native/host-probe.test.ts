import {
  cgroupLayout,
  parseFilesystems,
  parseMountInfo,
  unescapeMountPath,
  unprivilegedUserNamespaces,
} from '../../../lib/native/host-probe.js';

const HYBRID = [
  '22 1 0:21 / /sys rw,nosuid - sysfs sysfs rw',
  '30 22 0:26 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755',
  '31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw',
  '32 30 0:28 / /sys/fs/cgroup/memory rw,nosuid shared:9 - cgroup cgroup rw,memory',
  '33 30 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct',
  '34 30 0:30 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd',
  '35 1 0:29 / /mnt/again rw - cgroup cgroup rw,cpuacct,cpu',
  '36 1 8:1 / /with\\040space rw - ext4 /dev/sda1 rw',
  'garbage line',
].join('\n');

describe('host probes', () => {
  test('parses mountinfo lines, optional fields and escapes', () => {
    const m = parseMountInfo(HYBRID);
    expect(m).toHaveLength(8);
    expect(m[3]).toMatchObject({ mountPoint: '/sys/fs/cgroup/memory', fstype: 'cgroup', superOptions: ['rw', 'memory'] });
    expect(m[7]?.mountPoint).toBe('/with space');
    expect(unescapeMountPath('a\\011b\\134')).toBe('a\tb\\');
  });

  test('a host with v1 and a unified mount is hybrid; duplicates count once', () => {
    const l = cgroupLayout(parseMountInfo(HYBRID));
    expect(l.version).toBe('hybrid');
    expect(l.v2MountPoint).toBe('/sys/fs/cgroup/unified');
    expect(l.v1).toEqual([
      { mountPoint: '/sys/fs/cgroup/memory', controllers: ['memory'] },
      { mountPoint: '/sys/fs/cgroup/cpu,cpuacct', controllers: ['cpu', 'cpuacct'] },
      { mountPoint: '/sys/fs/cgroup/systemd', controllers: [], name: 'systemd' },
    ]);
  });

  test('pure v2, pure v1 and none', () => {
    expect(cgroupLayout(parseMountInfo('1 0 0:1 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw')).version).toBe('v2');
    expect(cgroupLayout(parseMountInfo('1 0 0:1 / /c rw - cgroup cgroup rw,pids')).version).toBe('v1');
    expect(cgroupLayout([]).version).toBe('none');
  });

  test('filesystems and user namespace sysctls', () => {
    expect(parseFilesystems('nodev\tsysfs\n\text4\nnodev\toverlay\n')).toEqual(['sysfs', 'ext4', 'overlay']);
    expect(unprivilegedUserNamespaces(undefined, '1000\n')).toBe(true);
    expect(unprivilegedUserNamespaces('0\n', '1000')).toBe(false);
    expect(unprivilegedUserNamespaces('1', '0')).toBe(false);
    expect(unprivilegedUserNamespaces(undefined, undefined)).toBe(true);
  });
});
