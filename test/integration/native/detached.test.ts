import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorPath } from '../../../lib/native/addon.js';
import { Cgroup } from '../../../lib/native/cgroup.js';
import {
  type DetachedStarted, killDetached, readDetachedExit, startDetached, stopDetached,
} from '../../../lib/native/monitor.js';
import { baseSpec, busyboxRootfs } from './helpers.js';

const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;

async function waitExit(stateDir: string, ms = 10_000) {
  for (const t = Date.now(); Date.now() - t < ms; ) {
    const e = await readDetachedExit(stateDir);
    if (e) return e;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('no exit.json');
}

/** Whether `pid` runs (a zombie waiting for a slow init to reap it counts as gone). */
function alive(pid: number): boolean {
  try {
    const st = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return st.slice(st.lastIndexOf(')') + 2, st.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

asRoot('detached containers (ocikit-monitor)', () => {
  let root: string;
  let state: string;
  beforeAll(() => {
    root = busyboxRootfs();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  beforeEach(() => {
    state = mkdtempSync(join(tmpdir(), 'ocikit-state-'));
  });
  afterEach(() => rmSync(state, { recursive: true, force: true }));

  test('logs stdout and stderr as json-file lines and records the exit atomically', async () => {
    const started = await startDetached(
      baseSpec(root, ['sh', '-c', 'echo out1; echo err1 >&2; printf "no newline"; exit 3']),
      { stateDir: state },
    );
    expect(started.pid).toBeGreaterThan(1);
    const exit = await waitExit(state);
    expect(exit).toMatchObject({ exitCode: 3, signal: null, oomKilled: false });
    expect(Date.parse(exit.finishedAt)).toBeGreaterThanOrEqual(Date.parse(exit.startedAt));
    const lines = readFileSync(join(state, 'container.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.stream, l.log]).sort()).toEqual(
      [['stderr', 'err1\n'], ['stdout', 'no newline'], ['stdout', 'out1\n']],
    );
    for (const l of lines) expect(l.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    expect(JSON.parse(readFileSync(join(state, 'monitor.json'), 'utf8'))).toEqual(started);
  });

  test('a start failure is a SyscallError', async () => {
    await expect(startDetached(baseSpec(root, ['/nope']), { stateDir: state })).rejects.toMatchObject({
      name: 'SyscallError', syscall: 'execve', path: '/nope', code: 'ENOENT',
    });
  });

  test('a detached container outlives the process that started it', async () => {
    writeFileSync(join(state, 'config.json'), JSON.stringify(baseSpec(root, ['sh', '-c', 'sleep 1; echo late'])));
    // the starter (a shell) launches the monitor in the background and exits at once
    execFileSync('sh', ['-c', `${monitorPath()} ${state} >/dev/null 2>&1 &`]);
    let ready = '';
    for (let i = 0; i < 200 && !ready; i++) {
      try {
        ready = readFileSync(join(state, 'monitor.json'), 'utf8');
      } catch {
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    const { pid, monitorPid } = JSON.parse(ready) as { pid: number; monitorPid: number };
    expect(alive(monitorPid)).toBe(true);
    expect(alive(pid)).toBe(true);
    const exit = await waitExit(state);
    expect(exit.exitCode).toBe(0);
    expect(readFileSync(join(state, 'container.log'), 'utf8')).toContain('"log":"late\\n"');
    for (let i = 0; i < 100 && alive(monitorPid); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(monitorPid)).toBe(false);
  });

  test('the container dies with its monitor (PR_SET_PDEATHSIG)', async () => {
    const started = await startDetached(baseSpec(root, ['sleep', '100']), { stateDir: state });
    process.kill(started.monitorPid, 'SIGKILL');
    for (let i = 0; i < 100 && alive(started.pid); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(started.pid)).toBe(false);
  });
});

/** A node process that starts a detached container through the monitor, prints monitor.json, and idles. */
function starter(state: string, disposable: boolean, cgroupDirs: readonly string[] = []): { child: import('node:child_process').ChildProcess; ready: Promise<DetachedStarted> } {
  const script = `
    const { spawn } = require('node:child_process');
    const { readFileSync } = require('node:fs');
    const st = readFileSync('/proc/self/stat', 'utf8');
    const start = st.slice(st.lastIndexOf(')') + 1).trim().split(' ')[19];
    const args = [process.argv[2]];
    if (process.argv[3] === 'disposable') args.push('--disposable', process.pid + ':' + start);
    for (const d of process.argv.slice(4)) args.push('--cgroup', d);
    const m = spawn(process.argv[1], args, { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    m.stdout.once('data', (d) => { process.stdout.write(d); m.stdout.destroy(); m.unref(); });
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['-e', script, monitorPath(), state, disposable ? 'disposable' : 'keep', ...cgroupDirs], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = new Promise<DetachedStarted>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => {
      try {
        resolve(JSON.parse(d.toString()) as DetachedStarted);
      } catch (e) {
        reject(e);
      }
    });
    child.once('error', reject);
  });
  return { child, ready };
}

asRoot('detached containers from another process (pidfd kill, disposable)', () => {
  let root: string;
  let state: string;
  beforeAll(() => {
    root = busyboxRootfs();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  beforeEach(() => {
    state = mkdtempSync(join(tmpdir(), 'ocikit-state-'));
  });
  afterEach(() => rmSync(state, { recursive: true, force: true }));

  test('killDetached signals PID 1 by its state dir; a recycled pid (other start time) is never hit', async () => {
    const started = await startDetached(baseSpec(root, ['sleep', '100']), { stateDir: state });
    expect(started.startTime).toBeGreaterThan(0);
    expect(await killDetached({ pid: started.pid, startTime: (started.startTime ?? 0) + 1 }, 'SIGKILL')).toBe(false);
    expect(alive(started.pid)).toBe(true);
    expect(await killDetached(state, 'SIGKILL')).toBe(true);
    expect(await waitExit(state)).toMatchObject({ exitCode: null, signal: 'SIGKILL', oomKilled: false });
    expect(await killDetached(state, 'SIGKILL')).toBe(false);
  });

  test('stopDetached: PID 1 ignores SIGTERM, its whole cgroup is killed after the timeout', async () => {
    const cg = await Cgroup.create(`ocikit/test-detached-stop-${process.pid}`, { pids: { limit: 20 } });
    try {
      const started = await startDetached(baseSpec(root, ['sh', '-c', 'trap "" TERM; sleep 100 & sleep 100; exit 0']), {
        stateDir: state,
        cgroup: cg,
      });
      await new Promise((r) => setTimeout(r, 100));
      expect(cg.procs().length).toBe(3);
      expect(cg.procs()).toContain(started.pid);
      const t = Date.now();
      const exit = await stopDetached(state, { timeoutMs: 300, cgroup: cg });
      expect(Date.now() - t).toBeGreaterThanOrEqual(290);
      expect(exit).toMatchObject({ signal: 'SIGKILL', oomKilled: false });
      expect(cg.procs()).toEqual([]);
    } finally {
      await cg.killAll();
      await cg.remove();
    }
  });

  test('the monitor reports an OOM kill from the memory cgroup', async () => {
    const cg = await Cgroup.create(`ocikit/test-detached-oom-${process.pid}`, { memory: { limit: 32 * 2 ** 20, swap: 32 * 2 ** 20 } });
    try {
      await startDetached(baseSpec(root, ['tail', '/dev/zero']), { stateDir: state, cgroup: cg });
      expect(await waitExit(state)).toMatchObject({ signal: 'SIGKILL', oomKilled: true });
    } finally {
      await cg.remove();
    }
  });

  test('a disposable container dies within a second of its owner being SIGKILLed', async () => {
    writeFileSync(join(state, 'config.json'), JSON.stringify(baseSpec(root, ['sleep', '100'])));
    const { child, ready } = starter(state, true);
    const started = await ready;
    expect(alive(started.pid)).toBe(true);
    const t = Date.now();
    child.kill('SIGKILL');
    while (alive(started.pid) && Date.now() - t < 1000) await new Promise((r) => setTimeout(r, 10));
    expect(alive(started.pid)).toBe(false);
    expect(Date.now() - t).toBeLessThan(1000);
    expect(await waitExit(state, 2000)).toMatchObject({ signal: 'SIGKILL' });
    for (let i = 0; i < 100 && alive(started.monitorPid); i++) await new Promise((r) => setTimeout(r, 10));
    expect(alive(started.monitorPid)).toBe(false);
  });

  test('a disposable container with a cgroup: every process of it dies with the owner', async () => {
    const cg = await Cgroup.create(`ocikit/test-disposable-${process.pid}`);
    try {
      writeFileSync(join(state, 'config.json'), JSON.stringify(baseSpec(root, ['sh', '-c', 'sleep 100 & sleep 100 & wait'])));
      const { child, ready } = starter(state, true, cg.paths);
      const started = await ready;
      await new Promise((r) => setTimeout(r, 100));
      expect(cg.procs().length).toBe(3);
      const t = Date.now();
      child.kill('SIGKILL');
      while (cg.procs().length > 0 && Date.now() - t < 1000) await new Promise((r) => setTimeout(r, 10));
      expect(cg.procs()).toEqual([]);
      expect(Date.now() - t).toBeLessThan(1000);
      expect(await waitExit(state, 2000)).toMatchObject({ signal: 'SIGKILL', oomKilled: false });
      for (let i = 0; i < 100 && alive(started.monitorPid); i++) await new Promise((r) => setTimeout(r, 10));
      expect(alive(started.monitorPid)).toBe(false);
    } finally {
      await cg.killAll();
      await cg.remove();
    }
  });

  test('startDetached({disposable}) passes the owner to the monitor', async () => {
    const started = await startDetached(baseSpec(root, ['sleep', '100']), { stateDir: state, disposable: true });
    const args = readFileSync(`/proc/${started.monitorPid}/cmdline`, 'utf8').split('\0');
    expect(args).toContain('--disposable');
    expect(args[args.indexOf('--disposable') + 1]).toMatch(new RegExp(`^${process.pid}:\\d+$`));
    expect(await killDetached(state, 'SIGKILL')).toBe(true);
    await waitExit(state);
  });

  test('a non-disposable container survives its owner being SIGKILLed; its exit is read later', async () => {
    writeFileSync(join(state, 'config.json'), JSON.stringify(baseSpec(root, ['sh', '-c', 'sleep 1; exit 7'])));
    const { child, ready } = starter(state, false);
    const started = await ready;
    child.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    expect(alive(started.pid)).toBe(true);
    expect(await readDetachedExit(state)).toBeUndefined();
    expect(await waitExit(state)).toMatchObject({ exitCode: 7, signal: null });
    for (let i = 0; i < 100 && alive(started.monitorPid); i++) await new Promise((r) => setTimeout(r, 10));
    expect(alive(started.monitorPid)).toBe(false);
  });
});
