import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { Cgroup } from '../../../lib/native/cgroup.js';
import { cgroupForSpec, execInContainer, spawnContainer, stopContainer } from '../../../lib/native/runtime.js';
import { SyscallError } from '../../../lib/errors.js';
import { baseSpec, busyboxRootfs, Capture, reap, run, TestCgroup } from './helpers.js';

const asRoot = process.geteuid?.() === 0 && process.env.OCIKIT_NO_CGROUP_TESTS === undefined ? describe : describe.skip;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let seq = 0;
const name = (what: string) => `ocikit/test-${what}-${process.pid}-${seq++}`;

asRoot('SECURITY 13: limits hold', () => {
  let root: string;
  beforeAll(() => {
    root = busyboxRootfs();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('a memory limit gives an OOM kill reported as such (from the memory cgroup counter)', async () => {
    const cg = await Cgroup.create(name('oom'), { memory: { limit: 32 * 2 ** 20, swap: 32 * 2 ** 20 } });
    try {
      expect(cg.stats().memory.limit).toBe(32 * 2 ** 20);
      expect(cg.oomKilled()).toBe(false);
      const r = await run(baseSpec(root, ['tail', '/dev/zero']), { cgroup: cg });
      expect(r).toMatchObject({ exitCode: null, signal: 'SIGKILL', oomKilled: true });
      expect(cg.oomKilled()).toBe(true);
      expect(cg.stats().memory.maxUsage).toBeGreaterThan(16 * 2 ** 20);
    } finally {
      await cg.remove();
    }
  });

  test('the old cgroupPaths option still reports OOM kills', async () => {
    const cg = new TestCgroup('oom', ['memory']);
    try {
      cg.write('memory', 'memory.limit_in_bytes', String(32 * 2 ** 20));
      const r = await run(baseSpec(root, ['tail', '/dev/zero']), { cgroupPaths: cg.all });
      expect(r).toMatchObject({ exitCode: null, signal: 'SIGKILL', oomKilled: true });
    } finally {
      cg.remove();
    }
  });

  test('a fork bomb stops at the pids limit and the host stays responsive', async () => {
    const cg = await Cgroup.create(name('pids'), { pids: { limit: 32 } });
    const cap = new Capture();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const c = spawnContainer(baseSpec(root, ['sh', '-c', 'b() { b | b & }; b; sleep 1000']), { stdio: cap.stdio, cgroup: cg });
    try {
      await sleep(1500);
      const s = cg.stats();
      expect(s.pids.limit).toBe(32);
      expect(s.pids.current).toBeLessThanOrEqual(32);
      expect(Number(/max (\d+)/.exec(readFileSync(`${cg.paths.find((p) => p.includes('/pids/'))}/pids.events`, 'utf8'))?.[1])).toBeGreaterThan(0);
      // the event loop kept running: ~150 ticks expected, far more than a stalled host would give
      expect(ticks).toBeGreaterThan(50);
      const t = Date.now();
      const st = await stopContainer(c, { timeoutMs: 100 });
      expect(st.signal).toBe('SIGKILL');
      expect(Date.now() - t).toBeLessThan(5000);
      expect(cg.procs()).toEqual([]);
    } finally {
      clearInterval(timer);
      await reap(c);
      cap.close();
      await cg.remove();
    }
  });
});

asRoot('cgroups from JS (Cgroup)', () => {
  let root: string;
  beforeAll(() => {
    root = busyboxRootfs();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('create applies linux.resources; open finds it; remove leaves no ocikit dir behind', async () => {
    const n = name('res');
    const cg = await Cgroup.create(n, {
      memory: { limit: 64 * 2 ** 20, reservation: 32 * 2 ** 20, swappiness: 10 },
      cpu: { shares: 512, quota: 50_000, period: 100_000, cpus: '0', mems: '0' },
      pids: { limit: 100 },
      devices: [{ allow: false, access: 'rwm' }, { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' }],
    });
    try {
      const dir = (ctl: string) => cg.paths.find((p) => p.split('/')[4]?.split(',').includes(ctl)) ?? '';
      const read = (ctl: string, f: string) => readFileSync(`${dir(ctl)}/${f}`, 'utf8').trim();
      expect(read('memory', 'memory.limit_in_bytes')).toBe(String(64 * 2 ** 20));
      expect(read('memory', 'memory.soft_limit_in_bytes')).toBe(String(32 * 2 ** 20));
      expect(read('memory', 'memory.swappiness')).toBe('10');
      expect(read('cpu', 'cpu.shares')).toBe('512');
      expect(read('cpu', 'cpu.cfs_quota_us')).toBe('50000');
      expect(read('cpuset', 'cpuset.cpus')).toBe('0');
      expect(read('pids', 'pids.max')).toBe('100');
      expect(read('devices', 'devices.list')).toBe('c 1:3 rwm');
      expect(Cgroup.open(n).paths).toEqual(cg.paths);
      expect(cg.procs()).toEqual([]);
    } finally {
      await cg.remove();
    }
    for (const p of cg.paths) {
      expect(existsSync(p)).toBe(false);
      // the shared ocikit/ parent goes too, unless another test file's containers still use it
      const parent = p.replace(/\/[^/]+$/, '');
      if (existsSync(parent)) expect(readdirSync(parent, { withFileTypes: true }).some((e) => e.isDirectory())).toBe(true);
    }
    await cg.remove(); // twice is fine
  });

  test('bad resources and bad names are SyscallErrors; nothing is left', async () => {
    await expect(Cgroup.create(name('bad'), { memory: { swappiness: 200 } })).rejects.toThrow(SyscallError);
    await expect(Cgroup.create('ocikit/../x')).rejects.toThrow(expect.objectContaining({ name: 'SyscallError', code: 'EINVAL' }));
    const n = name('badcpus');
    const err = await Cgroup.create(n, { cpu: { cpus: '99' } }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(SyscallError);
    expect((err as SyscallError).path).toMatch(/cpuset\.cpus$/);
    for (const p of Cgroup.open(n).paths) expect(existsSync(p)).toBe(false);
  });

  test('cgroupForSpec: linux.cgroupsPath and linux.resources of the spec; exec joins the same cgroup', async () => {
    const spec = baseSpec(root, ['sleep', '100']);
    spec.linux!.cgroupsPath = name('spec');
    spec.linux!.resources = { pids: { limit: 7 }, memory: { limit: 96 * 2 ** 20 } };
    const cg = await cgroupForSpec(spec, 'unused');
    const cap = new Capture();
    const c = spawnContainer(spec, { stdio: cap.stdio, cgroup: cg });
    const e = execInContainer(c, baseSpec(root, ['sleep', '100']), { stdio: cap.stdio });
    try {
      expect(cg.paths.every((p) => p.endsWith(spec.linux!.cgroupsPath!))).toBe(true);
      expect(cg.stats()).toMatchObject({ pids: { limit: 7 }, memory: { limit: 96 * 2 ** 20 } });
      expect(cg.procs().sort()).toEqual([c.pid, e.pid].sort());
      expect(readFileSync(`/proc/${e.pid}/cgroup`, 'utf8')).toContain(spec.linux!.cgroupsPath!);
    } finally {
      await reap(e);
      await reap(c);
      cap.close();
      await cg.remove();
    }
  });

  test('stats are non-zero for a running container', async () => {
    const cg = await Cgroup.create(name('stats'), { memory: { limit: 128 * 2 ** 20 }, pids: { limit: 50 } });
    const cap = new Capture();
    const c = spawnContainer(baseSpec(root, ['sh', '-c', 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; sleep 100']), {
      stdio: cap.stdio,
      cgroup: cg,
    });
    try {
      await sleep(300);
      const s = cg.stats();
      expect(s.memory.usage).toBeGreaterThan(0);
      expect(s.memory.limit).toBe(128 * 2 ** 20);
      expect(s.cpu.usageNs).toBeGreaterThan(0);
      expect(s.pids.limit).toBe(50);
      expect(s.pids.current).toBeGreaterThanOrEqual(1);
      expect(cg.procs()).toContain(c.pid);
    } finally {
      await reap(c);
      cap.close();
      await cg.remove();
    }
  });

  test('freeze stops the cpu counter, thaw resumes it', async () => {
    const cg = await Cgroup.create(name('freeze'));
    const cap = new Capture();
    const c = spawnContainer(baseSpec(root, ['sh', '-c', 'while :; do :; done']), { stdio: cap.stdio, cgroup: cg });
    try {
      await sleep(200);
      await cg.freeze();
      const a = cg.stats().cpu.usageNs;
      await sleep(300);
      const b = cg.stats().cpu.usageNs;
      expect(b).toBe(a);
      await cg.thaw();
      await sleep(300);
      expect(cg.stats().cpu.usageNs - b).toBeGreaterThan(50e6);
    } finally {
      await reap(c);
      cap.close();
      await cg.remove();
    }
  });

  test('stop: PID 1 ignores SIGTERM; after the timeout every process of the cgroup is killed', async () => {
    const cg = await Cgroup.create(name('stop'));
    const cap = new Capture();
    const c = spawnContainer(baseSpec(root, ['sh', '-c', 'trap "" TERM; sleep 100 & while :; do sleep 1; done']), {
      stdio: cap.stdio,
      cgroup: cg,
    });
    const e = execInContainer(c, baseSpec(root, ['sh', '-c', 'trap "" TERM; sleep 100']), { stdio: cap.stdio });
    try {
      await sleep(100);
      expect(cg.procs()).toEqual(expect.arrayContaining([c.pid, e.pid]));
      const t = Date.now();
      const st = await stopContainer(c, { timeoutMs: 400 });
      const took = Date.now() - t;
      expect(st).toMatchObject({ signal: 'SIGKILL', oomKilled: false });
      expect(took).toBeGreaterThanOrEqual(380);
      expect(took).toBeLessThan(2000);
      expect((await e.exited).signal).toBe('SIGKILL');
      expect(cg.procs()).toEqual([]);
    } finally {
      await reap(e);
      await reap(c);
      cap.close();
      await cg.remove();
    }
  });

  test('remove waits for an exiting PID 1 to leave the cgroup', async () => {
    const cg = await Cgroup.create(name('rm'));
    const cap = new Capture();
    const c = spawnContainer(baseSpec(root, ['sleep', '100']), { stdio: cap.stdio, cgroup: cg });
    try {
      c.kill('SIGKILL');
      await cg.remove(); // PID 1 is exiting: remove waits for it
      for (const p of cg.paths) expect(existsSync(p)).toBe(false);
    } finally {
      await reap(c);
      cap.close();
    }
  });

  test('remove waits off the JS thread; an abort ends the wait and leaves the cgroup', async () => {
    const cg = await Cgroup.create(name('rm-abort'));
    const cap = new Capture();
    const c = spawnContainer(baseSpec(root, ['sleep', '100']), { stdio: cap.stdio, cgroup: cg });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    try {
      const ac = new AbortController();
      const t = Date.now();
      const removing = cg.remove({ signal: ac.signal }); // PID 1 stays: remove would wait 5 s
      setTimeout(() => ac.abort(), 300);
      await expect(removing).rejects.toMatchObject({ name: 'AbortError' });
      expect(Date.now() - t).toBeLessThan(1000);
      expect(ticks).toBeGreaterThanOrEqual(10); // the timer ran while the addon waited
      for (const p of cg.paths) expect(existsSync(p)).toBe(true);
      await expect(cg.freeze({ signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    } finally {
      clearInterval(timer);
      await cg.killAll();
      await reap(c);
      await cg.remove();
      cap.close();
    }
    for (const p of cg.paths) expect(existsSync(p)).toBe(false);
  });
});

const unified = '/sys/fs/cgroup/unified';
const withV2 = process.geteuid?.() === 0 && existsSync(`${unified}/cgroup.controllers`) ? describe : describe.skip;

withV2('cgroup v2 (the unified hierarchy of this host)', () => {
  test('run and exec are cloned straight into a v2 cgroup (CLONE_INTO_CGROUP), v1 ones joined', async () => {
    const root = busyboxRootfs();
    const own = /^0::(.*)$/m.exec(readFileSync('/proc/self/cgroup', 'utf8'))?.[1] ?? '/';
    const rel = `${own === '/' ? '' : own}/ocikit-test-v2-${process.pid}`;
    const v2 = `${unified}${rel}`;
    mkdirSync(v2);
    const v1 = new TestCgroup('mixed', ['pids']);
    const cap = new Capture();
    const c = spawnContainer(baseSpec(root, ['sleep', '100']), { stdio: cap.stdio, cgroupPaths: [v2, ...v1.all] });
    try {
      const lines = readFileSync(`/proc/${c.pid}/cgroup`, 'utf8');
      expect(lines).toContain(`0::${rel}\n`);
      expect(lines).toMatch(new RegExp(`:pids:.*ocikit-test-mixed-${process.pid}\n`));
      const e = execInContainer(c, baseSpec(root, ['sleep', '100']), { stdio: cap.stdio, cgroupPaths: [v2, ...v1.all] });
      expect(readFileSync(`/proc/${e.pid}/cgroup`, 'utf8')).toContain(`0::${rel}\n`);
      await reap(e);
    } finally {
      await reap(c);
      cap.close();
      rmdirSync(v2);
      v1.remove();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
