// SIGKILL of a process in the middle of Container.create (issue 9, item 5): the next process heals
// what it left, so the name can be used again and nothing of the half-made container remains.
import { jest } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Container } from '../../../lib/container/index.js';
import { cgroupsOf, containersDir, crashNode, loadBusybox, mountedUnder, removeMine } from './helpers.js';

const asRoot = process.geteuid?.() === 0 && existsSync(join(process.cwd(), 'dist', 'index.js')) ? describe : describe.skip;
jest.setTimeout(120_000);

const IMG = 'ocikit-crash-create/busybox:latest'; // a prefix of its own: other suites' removeMine() must not take these

/** Kill points of lib/container/store.ts and setup.ts, in the order create passes them. */
const CREATE_POINTS = ['create:tmp', 'create:state', 'create:name', 'create:recorded', 'create:prepared', 'create:volumes'];

const volumes = (): string[] => {
  const dir = join(process.env['OCIKIT_ROOT'] as string, 'volumes');
  return existsSync(dir) ? readdirSync(dir).filter((e) => !e.startsWith('.')) : [];
};
const entries = (): string[] => (existsSync(containersDir()) ? readdirSync(containersDir()).filter((e) => /^(\.creating-)?[0-9a-f]{64}/.test(e)) : []);
const running = (pid: number): boolean => existsSync(`/proc/${pid}`);

/** Entries of the containers directory that no container owns: neither listed nor being made by a live process (other suites may run). */
async function orphans(): Promise<string[]> {
  const listed = new Set((await Container.list({ all: true })).map((c) => c.id));
  return entries().filter((e) => {
    const tmp = /^\.creating-[0-9a-f]{64}-(\d+)-/.exec(e);
    if (tmp !== null) return !running(Number(tmp[1]));
    if (listed.has(e)) return false;
    try {
      const st = JSON.parse(readFileSync(join(containersDir(), e, 'state.json'), 'utf8')) as { creating?: { pid: number } };
      return st.creating === undefined || !running(st.creating.pid);
    } catch {
      return true;
    }
  });
}

asRoot('SIGKILL during create', () => {
  afterAll(async () => {
    await removeMine('ocikit-crash-create/');
  });
  beforeAll(async () => {
    await loadBusybox(IMG);
    await (await Container.create(IMG)).remove(); // unpack once here
  });

  test.each(CREATE_POINTS)('killed at %s: the name is usable again and nothing is left', async (point) => {
    const name = `crash-${point.replace(/[^a-z]/g, '')}-${process.pid}`;
    const volumesBefore = volumes();
    const r = crashNode(`await Container.create(${JSON.stringify(IMG)}, { name: ${JSON.stringify(name)}, mounts: [{ type: 'volume', target: '/data' }] }); console.log('done');`, point);
    expect(r.signal).toBe('SIGKILL');
    // the half-made container is not seen by anyone; its name is free
    expect((await Container.list({ all: true })).map((c) => c.name)).not.toContain(name);
    await expect(Container.get(name)).rejects.toMatchObject({ code: 'ERR_CONTAINER_NOT_FOUND' });
    const c = await Container.create(IMG, { name });
    expect(c.name).toBe(name);
    await c.remove({ force: true, volumes: true });
    // nothing of the killed creation is left: directories, mounts, cgroups
    expect(await orphans()).toEqual([]);
    const listed = (await Container.list({ all: true })).map((x) => join(containersDir(), x.id));
    expect(mountedUnder(containersDir()).filter((m) => !listed.some((d) => m.startsWith(`${d}/`)))).toEqual([]);
    expect(volumes()).toEqual(volumesBefore); // its anonymous volume too
    for (const e of entries()) if (!listed.includes(join(containersDir(), e))) expect(cgroupsOf(e)).toEqual([]);
  });
});
