// exec and attach streams end on the caller's AbortSignal (issue 10, item 9).
import { jest } from '@jest/globals';
import { once } from 'node:events';
import { Container } from '../../../lib/container/index.js';
import { AbortError } from '../../../lib/errors.js';
import { loadBusybox, sleep, removeMine } from './helpers.js';

const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;
jest.setTimeout(30_000);

const IMG = 'ocikit-abort/busybox:latest';

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_r, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not end within ${ms} ms`)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

asRoot('exec and attach end on an AbortSignal', () => {
  beforeAll(async () => {
    await loadBusybox(IMG);
  });
  afterAll(async () => {
    await removeMine('ocikit-abort/');
  });

  test('exec: an abort kills the process and exec() rejects with an AbortError; execStream ends', async () => {
    const c = await Container.run(IMG, { cmd: ['sleep', '60'], detach: true });
    try {
      const ac = new AbortController();
      const running = c.exec(['sleep', '60'], { signal: ac.signal });
      await sleep(200);
      ac.abort();
      const err = await within(running.then(() => 'ended', (e: unknown) => e), 1000, 'the aborted exec');
      expect(err).toBeInstanceOf(AbortError);
      await expect(c.exec(['true'], { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ABORT_ERR' });

      const ac2 = new AbortController();
      const p = await c.execStream(['sh', '-c', 'while true; do echo x; sleep 0.1; done'], { signal: ac2.signal });
      p.stdout.resume();
      const ended = once(p.stdout, 'close');
      await sleep(200);
      ac2.abort();
      expect(await within(p.exited, 1000, 'the aborted exec process')).toMatchObject({ signal: 'SIGKILL' });
      await within(ended, 1000, 'its stdout');
      expect((await c.top()).Processes).toHaveLength(1); // only PID 1 is left
    } finally {
      await c.remove({ force: true });
    }
  });

  test('attach({ signal }): its streams end on abort while the container runs on', async () => {
    const c = await Container.run(IMG, { cmd: ['sh', '-c', 'while true; do echo tick; sleep 0.1; done'] });
    try {
      const ac = new AbortController();
      const view = c.attach({ signal: ac.signal });
      const chunks: Buffer[] = [];
      view.stdout.on('data', (d: Buffer) => chunks.push(d));
      const ended = Promise.all([once(view.stdout, 'end'), once(view.stderr, 'end')]);
      view.stderr.resume();
      await sleep(300);
      ac.abort();
      await within(ended, 1000, 'the attached streams');
      expect(Buffer.concat(chunks).toString()).toMatch(/^(tick\n)+$/);
      expect((await c.inspect()).State.Running).toBe(true);
      expect(c.attach().stdout.readableEnded).toBe(false); // the container's own streams go on
    } finally {
      await c.remove({ force: true });
    }
  });
});
