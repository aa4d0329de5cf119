import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyscallError } from '../../../lib/errors.js';
import { spawnContainer, stopContainer } from '../../../lib/native/runtime.js';
import { baseSpec, busyboxRootfs, Capture, reap, run } from './helpers.js';

const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;

asRoot('container run (real namespaces)', () => {
  let root: string;
  beforeAll(() => {
    root = busyboxRootfs();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('PID 1 inside, host processes invisible, hostname set', async () => {
    const r = await run(baseSpec(root, ['sh', '-c', 'echo $$; hostname; ls /proc | grep -c "^[0-9]"']));
    expect(r).toMatchObject({ exitCode: 0, signal: null, oomKilled: false });
    const [pid, host, count] = r.stdout.trim().split('\n');
    expect(pid).toBe('1');
    expect(host).toBe('ocikit-test');
    expect(Number(count)).toBeLessThanOrEqual(3); // sh, ls, grep
    expect(hostname()).not.toBe('ocikit-test');
  });

  test('exit status and signal are reported', async () => {
    expect(await run(baseSpec(root, ['sh', '-c', 'exit 7']))).toMatchObject({ exitCode: 7, signal: null });
    // PID 1 cannot be killed from inside its namespace: kill it from outside
    const cap = new Capture();
    const c = spawnContainer(baseSpec(root, ['sleep', '100']), { stdio: cap.stdio });
    c.kill('SIGKILL');
    expect(await c.exited).toMatchObject({ exitCode: null, signal: 'SIGKILL', oomKilled: false });
    expect(() => c.kill('SIGTERM')).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    cap.close();
  });

  test('env, cwd, uid/gid and groups, umask, rlimits (clamped to our hard limit)', async () => {
    const spec = baseSpec(root, ['sh', '-c', 'echo $A; pwd; id -u; id -g; id -G; umask; ulimit -n; ulimit -Hn']);
    spec.process!.env!.push('A=hello world');
    spec.process!.cwd = '/tmp';
    spec.process!.user = { uid: 65534, gid: 65534, additionalGids: [10, 20], umask: 0o027 };
    spec.process!.rlimits = [{ type: 'RLIMIT_NOFILE', soft: 1024, hard: 1_048_576 }];
    const r = await run(spec);
    const hard = Number((await import('node:child_process')).execFileSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }));
    expect(r.stdout.trim().split('\n')).toEqual([
      'hello world', '/tmp', '65534', '65534', '65534 10 20', '0027', '1024', String(Math.min(hard, 1_048_576)),
    ]);
  });

  test('the command not found is a SyscallError naming execve and the path', () => {
    const cap = new Capture();
    try {
      expect(() => spawnContainer(baseSpec(root, ['no-such-cmd']), { stdio: cap.stdio })).toThrow(
        expect.objectContaining({ syscall: 'execve', path: 'no-such-cmd', code: 'ENOENT' }),
      );
      let err: unknown;
      try {
        spawnContainer(baseSpec(root, ['/bin/true']), { stdio: cap.stdio, cgroupPaths: ['/nonexistent-ocikit'] });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SyscallError);
      expect(err).toMatchObject({ syscall: 'join cgroup', path: '/nonexistent-ocikit/cgroup.procs' });
    } finally {
      cap.close();
    }
  });

  test('stop: SIGTERM ignored by PID 1, then SIGKILL after the timeout', async () => {
    const cap = new Capture();
    const c = spawnContainer(baseSpec(root, ['sleep', '100']), { stdio: cap.stdio });
    try {
      const t = Date.now();
      const st = await stopContainer(c, { timeoutMs: 300 });
      expect(st.signal).toBe('SIGKILL');
      expect(Date.now() - t).toBeGreaterThanOrEqual(250);
    } finally {
      await reap(c);
      cap.close();
    }
  });

  test('spec bind and tmpfs mounts with options; read-only root', async () => {
    const host = mkdtempSync(join(tmpdir(), 'ocikit-bind-'));
    const spec = baseSpec(root, ['sh', '-c', 'echo x > /data/f && echo ok; touch /ro/f 2>/dev/null || echo ro; touch /t/f && echo t; touch /bin/x 2>/dev/null || echo rootro']);
    spec.mounts!.push(
      { destination: '/data', type: 'bind', source: host, options: ['rbind', 'rw'] },
      { destination: '/ro', type: 'bind', source: host, options: ['bind', 'ro'] },
      { destination: '/t', type: 'tmpfs', source: 'tmpfs', options: ['size=1m'] },
    );
    spec.root = { path: root, readonly: true };
    try {
      const r = await run(spec);
      expect(r.stdout.trim().split('\n')).toEqual(['ok', 'ro', 't', 'rootro']);
      expect(readdirSync(host)).toEqual(['f']);
    } finally {
      rmSync(host, { recursive: true, force: true });
    }
  });
});

asRoot('devices and names', () => {
  test('linux.devices are created with mode and owner; domainname is set', async () => {
    const root = busyboxRootfs();
    try {
      const spec = baseSpec(root, ['sh', '-c', 'stat -c "%F %a %u %g %t %T" /dev/net/tun /dev/fifo0 /dev/null; cat /proc/sys/kernel/domainname']);
      spec.linux!.devices = [
        { type: 'c', path: '/dev/net/tun', major: 10, minor: 200, fileMode: 0o600, uid: 5, gid: 6 },
        { type: 'p', path: '/dev/fifo0', fileMode: 0o640 },
      ];
      spec.domainname = 'example.test';
      const r = await run(spec);
      expect(r.stdout.trim().split('\n')).toEqual([
        'character special file 600 5 6 a c8', 'fifo 640 0 0 0 0', 'character special file 666 0 0 1 3', 'example.test',
      ]);
      const bad = baseSpec(root, ['true']);
      bad.linux!.devices = [{ type: 'c', path: '/etc/evil', major: 1, minor: 1 }];
      await expect(run(bad)).rejects.toMatchObject({ name: 'SyscallError', code: 'EINVAL' });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

asRoot('SECURITY 9: mount targets that are symlinks stay inside the rootfs', () => {
  test('an absolute and a ../ symlink as mount targets resolve inside the rootfs', async () => {
    const root = busyboxRootfs();
    const hostDir = mkdtempSync(join(tmpdir(), 'ocikit-sec9-host-'));
    try {
      mkdirSync(join(root, hostDir), { recursive: true });
      symlinkSync(hostDir, join(root, 'abs')); // absolute: /tmp/ocikit-sec9-host-XXX
      symlinkSync(`../../../../../../..${hostDir}`, join(root, 'rel'));
      const spec = baseSpec(root, ['sh', '-c', 'echo a > /abs/a; echo b > /rel/b; grep -c sec9-host /proc/self/mountinfo']);
      spec.mounts!.push(
        { destination: '/abs', type: 'tmpfs', source: 'tmpfs', options: ['size=1m'] },
        { destination: '/rel/sub', type: 'tmpfs', source: 'tmpfs', options: ['size=1m'] },
      );
      const r = await run(spec);
      expect(r.exitCode).toBe(0);
      expect(Number(r.stdout.trim())).toBe(2); // both mounts are at <rootfs>/tmp/ocikit-sec9-host-XXX
      expect(readdirSync(hostDir)).toEqual([]); // the host directory was never touched
      expect(readdirSync(join(root, hostDir))).toEqual([]); // `sub` was made inside the container's tmpfs
    } finally {
      rmSync(root, { recursive: true, force: true });
      rmSync(hostDir, { recursive: true, force: true });
    }
  });

  test('/proc as a symlink in the image is mounted inside the rootfs', async () => {
    const root = busyboxRootfs();
    try {
      rmSync(join(root, 'proc'), { recursive: true });
      mkdirSync(join(root, 'elsewhere'));
      symlinkSync('/elsewhere', join(root, 'proc'));
      const r = await run(baseSpec(root, ['sh', '-c', 'cat /elsewhere/self/stat | cut -d" " -f1']));
      expect(r.stdout.trim()).toMatch(/^\d+$/);
      expect(readdirSync(join(root, 'elsewhere'))).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

asRoot('SECURITY 10: no file descriptor leaks; the workdir cannot be a host fd', () => {
  let root: string;
  beforeAll(() => {
    root = busyboxRootfs();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('only 0, 1, 2 are open in the container', async () => {
    const r = await run(baseSpec(root, ['sh', '-c', 'exec ls /proc/self/fd']));
    // ls itself holds one fd on the directory it lists
    const fds = r.stdout.trim().split('\n').map(Number).sort();
    expect(fds.slice(0, 3)).toEqual([0, 1, 2]);
    expect(fds.length).toBeLessThanOrEqual(4);
  });

  test('cwd /proc/self/fd/N is refused', () => {
    const cap = new Capture();
    try {
      const spec = baseSpec(root, ['true']);
      spec.process!.cwd = `/proc/self/fd/${cap.stdoutFd}`;
      expect(() => spawnContainer(spec, { stdio: cap.stdio })).toThrow(
        expect.objectContaining({ syscall: 'chdir to the working directory' }),
      );
    } finally {
      cap.close();
    }
  });
});

asRoot('SECURITY 11: the host binaries are not reachable through /proc/*/exe', () => {
  test('every /proc/<pid>/exe in the container is the container binary', async () => {
    const root = busyboxRootfs();
    try {
      const r = await run(baseSpec(root, ['sh', '-c', 'for p in /proc/[0-9]*; do readlink $p/exe; done']));
      const exes = r.stdout.trim().split('\n');
      expect(exes.length).toBeGreaterThan(0);
      for (const e of exes) expect(e).toBe('/bin/busybox');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

asRoot('SECURITY 12: capabilities, no_new_privs, seccomp, masked and read-only paths', () => {
  let root: string;
  beforeAll(() => {
    root = busyboxRootfs();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test("Docker's bounding set; inheritable and ambient empty; no_new_privs; seccomp filter", async () => {
    const r = await run(baseSpec(root, ['grep', '-E', '^(Cap|NoNewPrivs|Seccomp:)', '/proc/self/status']));
    const f = Object.fromEntries(r.stdout.trim().split('\n').map((l) => l.split(/:\s+/)));
    expect(f).toMatchObject({
      CapInh: '0000000000000000', CapPrm: '00000000a80425fb', CapEff: '00000000a80425fb',
      CapBnd: '00000000a80425fb', CapAmb: '0000000000000000', NoNewPrivs: '1', Seccomp: '2',
    });
  });

  test('mount is refused', async () => {
    const r = await run(baseSpec(root, ['sh', '-c', 'mkdir -p /m; mount -t tmpfs x /m; echo rc=$?']));
    expect(r.stdout).toContain('rc=1');
  });

  test('a non-root user keeps only the permitted set it is given', async () => {
    const spec = baseSpec(root, ['grep', '-E', '^Cap(Eff|Bnd)', '/proc/self/status']);
    spec.process!.user = { uid: 1000, gid: 1000 };
    spec.process!.capabilities = { bounding: ['CAP_CHOWN'], effective: [], permitted: [] };
    const r = await run(spec);
    expect(r.stdout).toContain('CapEff:\t0000000000000000');
    expect(r.stdout).toContain('CapBnd:\t0000000000000001');
  });

  test('masked paths read empty; /proc/sys and /proc/sysrq-trigger are read-only', async () => {
    const r = await run(baseSpec(root, ['sh', '-c', [
      'wc -c < /proc/keys', 'wc -c < /proc/timer_list', 'ls /sys/firmware | wc -l',
      'test -e /proc/kcore && wc -c < /proc/kcore || echo 0',
      'echo x > /proc/sys/kernel/hostname 2>/dev/null || echo ro-sys',
      'echo h > /proc/sysrq-trigger 2>/dev/null || echo ro-sysrq',
    ].join('; ')]));
    expect(r.stdout.trim().split('\n').map((s) => s.trim())).toEqual(['0', '0', '0', '0', 'ro-sys', 'ro-sysrq']);
  });
});
