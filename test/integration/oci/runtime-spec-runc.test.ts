import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  DEFAULT_CAPABILITIES,
  DEFAULT_MASKED_PATHS,
  DEFAULT_READONLY_PATHS,
  RUNTIME_SPEC_VERSION,
  defaultMounts,
  type RuntimeSpec,
} from '../../../lib/oci/index.js';

const run = promisify(execFile);
const asRoot = process.getuid?.() === 0;

// Capability numbers from linux/capability.h
const CAP_NUMBERS: Record<string, number> = {
  CAP_CHOWN: 0, CAP_DAC_OVERRIDE: 1, CAP_FOWNER: 3, CAP_FSETID: 4, CAP_KILL: 5, CAP_SETGID: 6, CAP_SETUID: 7,
  CAP_SETPCAP: 8, CAP_NET_BIND_SERVICE: 10, CAP_NET_RAW: 13, CAP_SYS_CHROOT: 18, CAP_MKNOD: 27, CAP_AUDIT_WRITE: 29,
  CAP_SETFCAP: 31,
};

(asRoot ? describe : describe.skip)('the default spec under runc (needs root)', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ocikit-runc-'));
    const rootfs = join(dir, 'bundle', 'rootfs');
    for (const d of ['bin', 'proc', 'sys', 'dev', 'tmp', 'etc']) await mkdir(join(rootfs, d), { recursive: true });
    await copyFile('/bin/busybox', join(rootfs, 'bin', 'busybox'));
    await symlink('busybox', join(rootfs, 'bin', 'sh'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("runs, with Docker's capability set, masked and read-only paths and mounts", async () => {
    const caps = [...DEFAULT_CAPABILITIES];
    const script = [
      'grep -E "^Cap(Bnd|Eff|Inh|Amb)" /proc/self/status',
      'grep NoNewPrivs /proc/self/status',
      'echo keys=$(busybox wc -c < /proc/keys)',
      '(echo x > /proc/sys/kernel/hostname) 2>/dev/null; echo sysctl=$?',
      'busybox cut -d" " -f2,3,4 /proc/self/mounts',
    ].join('; ');
    const spec: RuntimeSpec = {
      ociVersion: RUNTIME_SPEC_VERSION,
      process: {
        user: { uid: 0, gid: 0 },
        args: ['/bin/sh', '-c', script],
        env: ['PATH=/bin'],
        cwd: '/',
        capabilities: { bounding: caps, effective: caps, permitted: caps, inheritable: [], ambient: [] },
        noNewPrivileges: true,
      },
      root: { path: 'rootfs' },
      hostname: 'ocikit',
      mounts: defaultMounts(),
      linux: {
        namespaces: [{ type: 'pid' }, { type: 'mount' }, { type: 'ipc' }, { type: 'uts' }, { type: 'network' }],
        maskedPaths: [...DEFAULT_MASKED_PATHS],
        readonlyPaths: [...DEFAULT_READONLY_PATHS],
      },
    };
    await writeFile(join(dir, 'bundle', 'config.json'), JSON.stringify(spec));
    const id = `ocikit-spec-${process.pid}`;
    let stdout: string;
    try {
      ({ stdout } = await run('runc', ['--root', join(dir, 'state'), 'run', '-b', join(dir, 'bundle'), id]));
    } finally {
      await run('runc', ['--root', join(dir, 'state'), 'delete', '-f', id]).catch(() => undefined);
    }
    const mask = Object.values(CAP_NUMBERS).reduce((m, bit) => m | (1n << BigInt(bit)), 0n);
    const hex = mask.toString(16).padStart(16, '0');
    expect(hex).toBe('00000000a80425fb'); // Docker's well-known CapBnd
    expect(stdout).toContain(`CapBnd:\t${hex}`);
    expect(stdout).toContain(`CapEff:\t${hex}`);
    expect(stdout).toContain('CapInh:\t0000000000000000');
    expect(stdout).toContain('CapAmb:\t0000000000000000');
    expect(stdout).toContain('NoNewPrivs:\t1');
    expect(stdout).toContain('keys=0');
    expect(stdout).toMatch(/sysctl=[1-9]/);
    const mounts = new Map(
      stdout.split('\n').filter((l) => l.startsWith('/')).map((l) => [l.split(' ')[0], l] as const),
    );
    for (const m of defaultMounts()) expect(mounts.has(m.destination)).toBe(true);
    // every masked path that exists on this host has something mounted over it
    for (const p of DEFAULT_MASKED_PATHS.filter((q) => existsSync(q))) expect([p, mounts.has(p)]).toEqual([p, true]);
    expect(mounts.get('/sys')).toMatch(/^\/sys sysfs ro,/);
    expect(mounts.get('/proc/sys')).toMatch(/ ro,/);
    expect(mounts.get('/dev/shm')).toMatch(/tmpfs rw,nosuid,nodev,noexec/);
  });
});
