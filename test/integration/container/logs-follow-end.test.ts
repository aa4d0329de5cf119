// A followed log ends when the caller says so: break/return() and an AbortSignal (issue 10, item 9).
import { jest } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { Container } from '../../../lib/container/index.js';
import { AbortError } from '../../../lib/errors.js';
import { loadBusybox, sleep, removeMine } from './helpers.js';

const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;
jest.setTimeout(30_000);

const IMG = 'ocikit-logsend/busybox:latest';

/** `p`, or a rejection after `ms`: a hang fails the test instead of timing it out. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_r, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not end within ${ms} ms`)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
const fds = (): number => readdirSync('/proc/self/fd').length;

asRoot('logs({ follow: true }) of a running container ends on the caller\'s terms', () => {
  let c: Container;
  beforeAll(async () => {
    await loadBusybox(IMG);
    c = await Container.run(IMG, { cmd: ['sh', '-c', 'echo one; exec sleep 60'], detach: true });
    for (let i = 0; i < 100 && (await c.logs().next()).done === true; i++) await sleep(20);
  });
  afterAll(async () => {
    await c.remove({ force: true });
    await removeMine('ocikit-logsend/');
  });

  test('return() while a next() waits ends both at once, leaving no timer or fd', async () => {
    const before = { timers: timers(), fds: fds() };
    const it = c.logs({ follow: true });
    expect(await it.next()).toEqual({ done: false, value: 'one\n' });
    const pending = it.next(); // nothing more comes: it waits
    await sleep(150);
    const t0 = Date.now();
    expect(await within(it.return?.() ?? Promise.resolve(undefined), 1000, 'return()')).toEqual({ done: true, value: undefined });
    expect(await within(pending, 1000, 'the pending next()')).toEqual({ done: true, value: undefined });
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await it.next()).toEqual({ done: true, value: undefined });
    expect({ timers: timers(), fds: fds() }).toEqual(before);
  });

  test('break in for await ends it', async () => {
    const got: string[] = [];
    await within((async () => {
      for await (const l of c.logs({ follow: true })) {
        got.push(l);
        break;
      }
    })(), 1000, 'break');
    expect(got).toEqual(['one\n']);
  });

  test('an abort ends a waiting follow promptly with an AbortError; an aborted signal at once', async () => {
    const before = { timers: timers(), fds: fds() };
    const ac = new AbortController();
    const got: string[] = [];
    const reading = (async () => {
      for await (const l of c.logs({ follow: true, signal: ac.signal })) got.push(l);
    })();
    await sleep(300);
    const t0 = Date.now();
    ac.abort();
    const err = await within(reading.then(() => 'ended', (e: unknown) => e), 1000, 'the aborted follow');
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(err).toBeInstanceOf(AbortError);
    expect(err).toMatchObject({ code: 'ABORT_ERR', name: 'AbortError' });
    expect(got).toEqual(['one\n']);
    await expect(c.logs({ follow: true, signal: AbortSignal.abort() }).next()).rejects.toMatchObject({ code: 'ABORT_ERR' });
    expect({ timers: timers(), fds: fds() }).toEqual(before);
  });
});
