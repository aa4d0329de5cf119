import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { execInContainer, spawnContainer } from '../../../lib/native/runtime.js';
import { baseSpec, busyboxRootfs, Capture, reap, run, TestCgroup } from './helpers.js';

const asRoot = process.geteuid?.() === 0 && process.env.OCIKIT_NO_CGROUP_TESTS === undefined ? describe : describe.skip;

asRoot('SECURITY 13: limits hold', () => {
  let root: string;
  beforeAll(() => {
    root = busyboxRootfs();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('a memory limit gives an OOM kill reported as such', async () => {
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
    const cg = new TestCgroup('pids', ['pids']);
    try {
      cg.write('pids', 'pids.max', '16');
      const t = Date.now();
      const r = await run(
        baseSpec(root, ['sh', '-c', 'i=0; while [ $i -lt 100 ]; do sleep 2 & i=$((i+1)); done 2>/dev/null; ls /proc | grep -c "^[0-9]"']),
        { cgroupPaths: cg.all },
      );
      expect(Number(r.stdout.trim())).toBeLessThanOrEqual(16);
      expect(Date.now() - t).toBeLessThan(10_000);
      expect(Number(cg.read('pids', 'pids.events').match(/max (\d+)/)?.[1])).toBeGreaterThan(0);
    } finally {
      cg.remove();
    }
  });

  test('pause and unpause through the freezer', async () => {
    const cg = new TestCgroup('freeze', ['freezer']);
    const cap = new Capture();
    const c = spawnContainer(baseSpec(root, ['sh', '-c', 'while true; do date +%s%N; sleep 0.05; done']), {
      stdio: cap.stdio,
      cgroupPaths: cg.all,
    });
    try {
      await new Promise((r) => setTimeout(r, 200));
      cg.write('freezer', 'freezer.state', 'FROZEN');
      for (let i = 0; i < 50 && cg.read('freezer', 'freezer.state').trim() !== 'FROZEN'; i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      const before = cap.stdout.length;
      await new Promise((r) => setTimeout(r, 300));
      expect(cap.stdout.length).toBe(before);
      cg.write('freezer', 'freezer.state', 'THAWED');
      await new Promise((r) => setTimeout(r, 300));
      expect(cap.stdout.length).toBeGreaterThan(before);
    } finally {
      await reap(c);
      cap.close();
      cg.remove();
    }
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
