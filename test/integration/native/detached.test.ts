import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorPath } from '../../../lib/native/addon.js';
import { readDetachedExit, startDetached } from '../../../lib/native/monitor.js';
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

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
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
