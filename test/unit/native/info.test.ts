import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { info } from '../../../lib/index.js';

describe('info()', () => {
  test('matches what the machine reports', async () => {
    const host = await info();
    expect(host.kernelRelease).toBe(execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim());
    expect(host.architecture).toBe(execFileSync('uname', ['-m'], { encoding: 'utf8' }).trim());
    expect(host.root).toBe(process.geteuid?.() === 0);
    expect(host.storageRoot).toBe(process.env.OCIKIT_ROOT);

    const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' '));
    const v1 = mounts.filter((m) => m[2] === 'cgroup');
    const v2 = mounts.filter((m) => m[2] === 'cgroup2');
    const expected = v1.length > 0 ? (v2.length > 0 ? 'hybrid' : 'v1') : v2.length > 0 ? 'v2' : 'none';
    expect(host.cgroup.version).toBe(expected);
    for (const m of v1) {
      const opts = (m[3] ?? '').split(',');
      const h = host.cgroup.v1Hierarchies.find((x) => x.controllers.length > 0 && x.controllers.every((c) => opts.includes(c)));
      if (opts.includes('memory')) expect(h?.controllers).toContain('memory');
    }
    if (v2.length > 0) {
      const ctl = readFileSync(`${v2[0]?.[1]}/cgroup.controllers`, 'utf8').split(/\s+/).filter(Boolean);
      expect(host.cgroup.v2Controllers).toEqual(ctl);
    }

    const fsList = readFileSync('/proc/filesystems', 'utf8');
    expect(host.overlay.supported).toBe(/\toverlay$/m.test(fsList));
    if (host.root && host.overlay.supported) expect(host.overlay.mountable).toBe(true);
    const max = Number(readFileSync('/proc/sys/user/max_user_namespaces', 'utf8'));
    expect(host.maxUserNamespaces).toBe(max);
  });

  test('probeOverlay: false skips the test mount', async () => {
    const host = await info({ probeOverlay: false });
    expect(host.overlay.mountable).toBeUndefined();
  });
});
