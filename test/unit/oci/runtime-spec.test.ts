import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_CAPABILITIES,
  DEFAULT_MASKED_PATHS,
  DEFAULT_READONLY_PATHS,
  RUNTIME_SPEC_VERSION,
  defaultMounts,
  type RuntimeSpec,
} from '../../../lib/oci/index.js';

describe('runtime spec defaults', () => {
  it("grants exactly Docker's 14 default capabilities", () => {
    expect([...DEFAULT_CAPABILITIES].sort()).toEqual(
      [
        'CAP_AUDIT_WRITE', 'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_MKNOD',
        'CAP_NET_BIND_SERVICE', 'CAP_NET_RAW', 'CAP_SETFCAP', 'CAP_SETGID', 'CAP_SETPCAP', 'CAP_SETUID', 'CAP_SYS_CHROOT',
      ],
    );
    expect(DEFAULT_CAPABILITIES).not.toContain('CAP_SYS_ADMIN');
    expect(DEFAULT_CAPABILITIES).not.toContain('CAP_SYS_PTRACE');
    expect(Object.isFrozen(DEFAULT_CAPABILITIES)).toBe(true);
  });

  it("masks Docker's paths and makes Docker's paths read-only", () => {
    expect(DEFAULT_MASKED_PATHS).toEqual([
      '/proc/asound', '/proc/acpi', '/proc/interrupts', '/proc/kcore', '/proc/keys', '/proc/latency_stats',
      '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware',
      '/sys/devices/virtual/powercap',
    ]);
    expect(DEFAULT_READONLY_PATHS).toEqual(['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger']);
  });

  it("gives Docker's default mounts with their options, parents first", () => {
    const mounts = defaultMounts();
    const byDest = new Map(mounts.map((m) => [m.destination, m]));
    expect([...byDest.keys()].sort()).toEqual(['/dev', '/dev/mqueue', '/dev/pts', '/dev/shm', '/proc', '/sys', '/sys/fs/cgroup']);
    expect(byDest.get('/proc')).toEqual({ destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] });
    expect(byDest.get('/dev')?.type).toBe('tmpfs');
    expect(byDest.get('/dev')?.options).toEqual(expect.arrayContaining(['nosuid', 'mode=755']));
    expect(byDest.get('/dev/pts')?.options).toEqual(expect.arrayContaining(['newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5']));
    expect(byDest.get('/dev/shm')?.options).toEqual(expect.arrayContaining(['mode=1777', 'nodev', 'noexec', 'nosuid']));
    expect(byDest.get('/sys')?.options).toContain('ro');
    expect(byDest.get('/sys/fs/cgroup')?.options).toContain('ro');
    // a mount never comes before the mount of its parent directory
    for (const [i, m] of mounts.entries()) {
      for (const later of mounts.slice(i + 1)) expect(m.destination.startsWith(`${later.destination}/`)).toBe(false);
    }
  });

  it('returns fresh mount objects on each call', () => {
    const a = defaultMounts();
    a[0]!.options!.push('rw');
    expect(defaultMounts()[0]!.options).not.toContain('rw');
  });

  it("covers at least what `runc spec` masks and makes read-only", () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocikit-spec-'));
    try {
      execFileSync('runc', ['spec'], { cwd: dir });
      const runc = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as RuntimeSpec;
      expect(DEFAULT_MASKED_PATHS).toEqual(expect.arrayContaining(runc.linux?.maskedPaths ?? ['missing']));
      expect(DEFAULT_READONLY_PATHS).toEqual(expect.arrayContaining(runc.linux?.readonlyPaths ?? ['missing']));
      expect(defaultMounts().map((m) => m.destination).sort()).toEqual((runc.mounts ?? []).map((m) => m.destination).sort());
      expect(runc.ociVersion.split('.')[0]).toBe(RUNTIME_SPEC_VERSION.split('.')[0]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
