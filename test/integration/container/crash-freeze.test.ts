// A freeze for cp or commit never outlives its owner (issue 9, item 7): a commit killed midway, or a
// copy stream never read, leaves the container running again; a user's pause stays.
import { jest } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Container } from '../../../lib/container/index.js';
import { containersDir, crashNode, loadBusybox, runNode, sleep, removeMine } from './helpers.js';

const asRoot = process.geteuid?.() === 0 && existsSync(join(process.cwd(), 'dist', 'index.js')) ? describe : describe.skip;
jest.setTimeout(120_000);

const IMG = 'ocikit-crash-freeze/busybox:latest'; // a prefix of its own: other suites' removeMine() must not take these

/** The kernel's view: `FROZEN` or `THAWED` (v1 freezer). */
function freezerState(id: string): string {
  const run = JSON.parse(readFileSync(join(containersDir(), id, 'run.json'), 'utf8')) as { cgroupPaths: string[] };
  const dir = run.cgroupPaths.find((p) => p.includes('/freezer/')) as string;
  return readFileSync(join(dir, 'freezer.state'), 'utf8').trim();
}

asRoot('freezes of cp and commit', () => {
  afterAll(async () => {
    await removeMine('ocikit-crash-freeze/');
  });
  let c: Container;
  beforeAll(async () => {
    await loadBusybox(IMG);
    c = await Container.run(IMG, { cmd: ['sleep', '120'], detach: true });
  });
  afterAll(async () => {
    await c.remove({ force: true });
  });
  afterEach(async () => {
    if ((await c.inspect()).State.Paused) await c.unpause();
  });

  test('a commit killed while the container is frozen: the next look thaws it', async () => {
    const r = crashNode(`await (await Container.get(${JSON.stringify(c.id)})).commit();`, 'commit:layer');
    expect(r.signal).toBe('SIGKILL');
    expect((await c.inspect()).State).toMatchObject({ Status: 'running', Paused: false });
    expect(freezerState(c.id)).toBe('THAWED');
    expect(await c.exec(['true'])).toMatchObject({ exitCode: 0 });
  });

  test('a process that exits with a copy stream unread: the next look thaws it', async () => {
    runNode(`const s = await (await Container.get(${JSON.stringify(c.id)})).copyFrom('/bin'); process.exit(0);`);
    expect((await c.inspect()).State).toMatchObject({ Status: 'running', Paused: false });
    expect(freezerState(c.id)).toBe('THAWED');
  });

  test('a copy stream never read fails with ERR_COPY_TIMEOUT and thaws the container', async () => {
    const s = await c.copyFrom('/bin', { idleTimeoutMs: 300 });
    expect(freezerState(c.id)).toBe('FROZEN');
    const failed = new Promise((resolve) => s.once('error', resolve));
    await expect(failed).resolves.toMatchObject({ code: 'ERR_COPY_TIMEOUT' });
    await sleep(100);
    expect((await c.inspect()).State.Status).toBe('running');
    expect(freezerState(c.id)).toBe('THAWED');
  });

  test('a copy stream destroyed early, or read to its end, thaws the container', async () => {
    const s = await c.copyFrom('/bin');
    s.destroy();
    await sleep(100);
    expect(freezerState(c.id)).toBe('THAWED');
    const t = await c.copyFrom('/bin');
    for await (const _ of t) void _;
    expect((await c.inspect()).State.Status).toBe('running');
    expect(freezerState(c.id)).toBe('THAWED');
  });

  test("a user's pause is not thawed by others, and it takes over a copy's freeze", async () => {
    await c.pause();
    runNode(`await (await Container.get(${JSON.stringify(c.id)})).inspect();`);
    expect((await c.inspect()).State.Status).toBe('paused');
    expect(freezerState(c.id)).toBe('FROZEN');
    await c.unpause();
    const s = await c.copyFrom('/bin');
    await c.pause(); // now the user's
    s.destroy();
    await sleep(100);
    expect((await c.inspect()).State.Status).toBe('paused');
    expect(freezerState(c.id)).toBe('FROZEN');
  });
});
