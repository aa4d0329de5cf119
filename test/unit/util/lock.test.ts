import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { withLock } from '../../../lib/util/lock.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ocikit-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

/** Start time of `pid` as the lock writes it. */
async function startTime(pid: number): Promise<string> {
  const s = await readFile(`/proc/${pid}/stat`, 'utf8');
  return s.slice(s.lastIndexOf(')') + 2).split(' ')[19]!;
}

/** The PID of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

describe('withLock in one process', () => {
  it('runs callers one at a time, returns their result and removes the lock file', async () => {
    const path = join(dir, 'l');
    let inside = 0;
    let maxInside = 0;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        withLock(path, async () => {
          inside += 1;
          maxInside = Math.max(maxInside, inside);
          await new Promise((r) => setTimeout(r, 2));
          inside -= 1;
          return i;
        }),
      ),
    );
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(maxInside).toBe(1);
    expect(await exists(path)).toBe(false);
  });

  it('writes its pid and start time into the lock file while held', async () => {
    const path = join(dir, 'l');
    const content = await withLock(path, () => readFile(path, 'utf8'));
    expect(content).toBe(`${process.pid} ${await startTime(process.pid)}\n`);
  });

  it('releases the lock when the callback throws, and passes the error on', async () => {
    const path = join(dir, 'l');
    await expect(withLock(path, () => Promise.reject(new RangeError('boom')))).rejects.toThrow('boom');
    expect(await exists(path)).toBe(false);
    await expect(withLock(path, () => 'next')).resolves.toBe('next');
  });
});

describe('withLock between processes', () => {
  it('waits for a lock held by a live process, then times out', async () => {
    const path = join(dir, 'l');
    await writeFile(path, `${process.ppid} ${await startTime(process.ppid)}\n`);
    await expect(withLock(path, () => 1, { timeoutMs: 150 })).rejects.toMatchObject({ code: 'ERR_LOCK_TIMEOUT' });
    expect(await exists(path)).toBe(true);
  });

  it('breaks a lock whose owner has exited', async () => {
    const path = join(dir, 'l');
    await writeFile(path, `${await deadPid()} 12345\n`);
    await expect(withLock(path, () => 'got it', { timeoutMs: 2000 })).resolves.toBe('got it');
  });

  it('breaks a lock whose PID was reused by another process', async () => {
    const path = join(dir, 'l');
    await writeFile(path, `${process.ppid} 1\n`);
    await expect(withLock(path, () => 'got it', { timeoutMs: 2000 })).resolves.toBe('got it');
  });

  it('waits on a fresh lock file without owner, breaks an old one', async () => {
    const path = join(dir, 'l');
    await writeFile(path, '');
    await expect(withLock(path, () => 1, { timeoutMs: 150 })).rejects.toMatchObject({ code: 'ERR_LOCK_TIMEOUT' });
    const old = new Date(Date.now() - 60_000);
    await utimes(path, old, old);
    await expect(withLock(path, () => 2, { timeoutMs: 2000 })).resolves.toBe(2);
  });

  describe('with child processes running the real lock code', () => {
    let build: string;

    beforeAll(async () => {
      // transpile the lock and what it imports next to node_modules, so `debug` resolves
      build = await mkdtemp(join(repo, 'node_modules', '.ocikit-lock-test-'));
      for (const file of ['util/lock.ts', 'util/process-identity.ts', 'errors.ts', 'error-base.ts', 'error-codes.ts', 'log.ts']) {
        const source = await readFile(join(repo, 'lib', file), 'utf8');
        const out = ts.transpileModule(source, {
          compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
        }).outputText;
        await mkdir(dirname(join(build, file)), { recursive: true });
        await writeFile(join(build, file.replace(/\.ts$/, '.js')), out);
      }
      await writeFile(join(build, 'package.json'), '{"type":"module"}');
      await writeFile(
        join(build, 'worker.js'),
        `import { readFileSync, writeFileSync } from 'node:fs';
import { withLock } from './util/lock.js';
const [mode, lockPath, counter, n] = process.argv.slice(2);
if (mode === 'count') {
  for (let i = 0; i < Number(n); i++) {
    await withLock(lockPath, async () => {
      const v = Number(readFileSync(counter, 'utf8'));
      await new Promise((r) => setImmediate(r));
      writeFileSync(counter, String(v + 1));
    });
  }
} else {
  await withLock(lockPath, () => { process.stdout.write('held\\n'); return new Promise(() => setInterval(() => {}, 1000)); });
}
`,
      );
    });

    afterAll(async () => {
      await rm(build, { recursive: true, force: true });
    });

    function run(args: string[]): Promise<number | null> {
      const child = spawn(process.execPath, [join(build, 'worker.js'), ...args], { stdio: 'inherit' });
      return new Promise((resolve) => child.on('exit', resolve));
    }

    it('lets no two processes into the critical section at once', async () => {
      const path = join(dir, 'l');
      const counter = join(dir, 'n');
      await writeFile(counter, '0');
      const codes = await Promise.all([run(['count', path, counter, '40']), run(['count', path, counter, '40']), run(['count', path, counter, '40'])]);
      expect(codes).toEqual([0, 0, 0]);
      expect(await readFile(counter, 'utf8')).toBe('120');
    });

    it('takes over the lock of a process killed while holding it', async () => {
      const path = join(dir, 'l');
      const child = spawn(process.execPath, [join(build, 'worker.js'), 'hold', path], { stdio: ['ignore', 'pipe', 'inherit'] });
      try {
        await new Promise<void>((resolve, reject) => {
          child.stdout.on('data', (d: Buffer) => d.toString().includes('held') && resolve());
          child.on('exit', () => reject(new Error('holder exited early')));
        });
        await expect(withLock(path, () => 0, { timeoutMs: 100 })).rejects.toMatchObject({ code: 'ERR_LOCK_TIMEOUT' });
      } finally {
        child.kill('SIGKILL');
        await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.on('exit', resolve)));
      }
      await expect(withLock(path, () => 'mine', { timeoutMs: 3000 })).resolves.toBe('mine');
    });
  });
});
