import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FALLBACK_POLL_MS, waitForFile } from '../../../lib/native/exit-wait.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ocikit-exit-wait-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const reader = (counter: { n: number }) => async (): Promise<string | undefined> => {
  counter.n++;
  return readFile(join(dir, 'exit.json'), 'utf8').catch(() => undefined);
};

describe('waitForFile', () => {
  it('wakes on the rename that creates the file, well before the fallback poll, with few reads', async () => {
    const reads = { n: 0 };
    const t0 = performance.now();
    const p = waitForFile(dir, 'exit.json', reader(reads), 5000);
    setTimeout(() => {
      void writeFile(join(dir, 'exit.tmp'), '{"code":0}').then(() => rename(join(dir, 'exit.tmp'), join(dir, 'exit.json')));
    }, 30);
    expect(await p).toBe('{"code":0}');
    expect(performance.now() - t0).toBeLessThan(FALLBACK_POLL_MS);
    expect(reads.n).toBeLessThanOrEqual(4); // the old 10 ms poll read it ~3 times in 30 ms alone
  });

  it('returns a file that already exists', async () => {
    await writeFile(join(dir, 'exit.json'), 'x');
    expect(await waitForFile(dir, 'exit.json', reader({ n: 0 }), 1000)).toBe('x');
  });

  it('gives up with undefined at the deadline', async () => {
    const t0 = performance.now();
    expect(await waitForFile(dir, 'exit.json', reader({ n: 0 }), 100)).toBeUndefined();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(95);
  });

  it('falls back to polling when the directory cannot be watched', async () => {
    const missing = join(dir, 'later');
    const p = waitForFile(missing, 'exit.json', () => readFile(join(dir, 'exit.json'), 'utf8').catch(() => undefined), 5000);
    await writeFile(join(dir, 'exit.json'), 'polled');
    expect(await p).toBe('polled');
  });
});
