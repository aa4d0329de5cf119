// SIGKILL of a process in the middle of Container.start (issue 9, item 6): the record still says
// Created, yet `rm -f` finds and releases everything the start made: processes, mounts, cgroups.
import { jest } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Container } from '../../../lib/container/index.js';
import { cgroupsOf, containersDir, crashNode, expectGone, loadBusybox, removeMine } from './helpers.js';

const asRoot = process.geteuid?.() === 0 && existsSync(join(process.cwd(), 'dist', 'index.js')) ? describe : describe.skip;
jest.setTimeout(120_000);

const IMG = 'ocikit-crash-start/busybox:latest'; // a prefix of its own: other suites' removeMine() must not take these

/** Kill points of lib/container/start.ts, with the mode they are reached in. */
const START_POINTS: Array<[string, boolean]> = [
  ['start:held', true], ['start:mounted', true], ['start:cgroup', true], ['start:monitor', true],
  ['start:cgroup', false], ['start:spawned', false],
];

const alive = (pid: number): boolean => existsSync(`/proc/${pid}`) && !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));

asRoot('SIGKILL during start', () => {
  afterAll(async () => {
    await removeMine('ocikit-crash-start/');
  });
  beforeAll(async () => {
    await loadBusybox(IMG);
    await (await Container.create(IMG)).remove(); // unpack once here
  });

  test.each(START_POINTS)('killed at %s (detach %s): rm -f releases processes, mounts and cgroups', async (point, detach) => {
    const name = `crash-${point.replace(/[^a-z]/g, '')}-${String(detach)}-${process.pid}`;
    const r = crashNode(`
      const c = await Container.create(${JSON.stringify(IMG)}, { name: ${JSON.stringify(name)}, cmd: ['sleep', '60'], detach: ${String(detach)} });
      await c.start();
      console.log('started');`, point);
    expect(r.signal).toBe('SIGKILL');
    const c = await Container.get(name);
    expect((await c.inspect()).State.Status).toBe('created');
    const monitor = join(containersDir(), c.id, 'monitor.json');
    const pids = existsSync(monitor) ? Object.values(JSON.parse(readFileSync(monitor, 'utf8')) as Record<string, unknown>).filter((v): v is number => typeof v === 'number' && v > 1 && v < 1 << 22) : [];
    if (point === 'start:monitor') expect(pids.some(alive)).toBe(true);
    if (point !== 'start:held' && point !== 'start:mounted') expect(cgroupsOf(c.id).length).toBeGreaterThan(0);
    await c.remove({ force: true });
    expectGone(c.id);
    expect(pids.filter(alive)).toEqual([]);
  });

  test('a container whose start was killed starts again, once', async () => {
    const name = `crash-restart-${process.pid}`;
    expect(crashNode(`
      const c = await Container.create(${JSON.stringify(IMG)}, { name: ${JSON.stringify(name)}, cmd: ['sleep', '60'], detach: true });
      await c.start();`, 'start:monitor').signal).toBe('SIGKILL');
    const c = await Container.get(name);
    try {
      await c.start({ detach: true });
      expect((await c.inspect()).State.Running).toBe(true);
      expect((await c.top()).Processes).toHaveLength(1); // the killed start's sleep is gone
    } finally {
      await c.remove({ force: true });
    }
    expectGone(c.id);
  });
});
