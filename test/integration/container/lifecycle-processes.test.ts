// Containers seen, stopped and collected from other Node processes (the built package in dist/).
import { jest } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Container } from '../../../lib/container/index.js';
import { cgroupsOf, containersDir, expectGone, loadBusybox, mountedUnder, removeMine, runNode, sleep, spawnNode } from './helpers.js';

const asRoot = process.geteuid?.() === 0 && existsSync(join(process.cwd(), 'dist', 'index.js')) ? describe : describe.skip;
jest.setTimeout(60_000);

const IMG = 'ocikit-test/busybox:latest';

async function until(cond: () => Promise<boolean>, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (await cond()) return;
  throw new Error('condition not met in time');
}

asRoot('Containers across processes', () => {
  afterAll(async () => {
    await removeMine();
  });
  beforeAll(async () => {
    await loadBusybox(IMG);
    // unpack the image's snapshot here, so the child processes only run containers
    await (await Container.create(IMG)).remove();
  });

  test('a detached container outlives its starter; logs, list, exec and stop from other processes', async () => {
    const name = `detached-${process.pid}`;
    const id = runNode(`
      const c = await Container.run(${JSON.stringify(IMG)}, { name: ${JSON.stringify(name)}, detach: true,
        cmd: ['sh', '-c', 'echo start; echo warn >&2; echo data > /tmp/d; i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.1; done'] });
      console.log(c.id);`).trim();
    try {
      const c = await Container.get(name);
      expect(c.id).toBe(id);
      expect((await c.inspect()).State).toMatchObject({ Running: true, Status: 'running' });
      expect((await Container.list()).map((x) => x.id)).toContain(id);
      await sleep(300);
      const seen = JSON.parse(runNode(`
        const c = await Container.get(${JSON.stringify(name)});
        const logs = [];
        for await (const l of c.logs()) logs.push(l);
        const list = (await Container.list()).map((x) => x.id);
        const r = await c.exec(['sh', '-c', 'cat /tmp/d; cat /proc/1/cmdline | head -c 2']);
        console.log(JSON.stringify({ logs, list, r }));`)) as { logs: string[]; list: string[]; r: { exitCode: number; stdout: string } };
      expect(seen.logs.slice(0, 3).sort()).toEqual(['start\n', 'tick 0\n', 'warn\n']);
      expect(seen.list).toContain(id);
      expect(seen.r).toMatchObject({ exitCode: 0, stdout: 'data\nsh' });
      // exec from this process too (PID 1 adopted by pidfd), and follow the log until it stops
      expect(await c.exec(['cat', '/tmp/d'])).toMatchObject({ exitCode: 0, stdout: 'data\n' });
      const followed: string[] = [];
      const following = (async () => {
        for await (const l of c.logs({ follow: true, tail: 0 })) followed.push(l);
      })();
      await sleep(300);
      const t = Date.now();
      runNode(`await (await Container.get(${JSON.stringify(id)})).stop({ timeout: 1 });`);
      expect(Date.now() - t).toBeGreaterThanOrEqual(900);
      await following;
      expect(followed.length).toBeGreaterThan(0);
      expect(followed.every((l) => /^tick \d+\n$/.test(l))).toBe(true);
      expect(await c.wait()).toEqual({ exitCode: 137, oomKilled: false });
      expect((await c.inspect()).State).toMatchObject({ Status: 'exited', Running: false, ExitCode: 137 });
      expect(mountedUnder(join(containersDir(), id))).toEqual([]);
    } finally {
      await (await Container.get(id)).remove({ force: true });
    }
    expectGone(id);
  });

  test('a detached rm container is removed once its exit is seen; restart of a detached container', async () => {
    const c = await Container.run(IMG, { cmd: ['sh', '-c', 'exit 4'], detach: true, rm: true });
    expect(await c.wait()).toEqual({ exitCode: 4, oomKilled: false });
    await expect(Container.get(c.id)).rejects.toMatchObject({ code: 'ERR_CONTAINER_NOT_FOUND' });
    expectGone(c.id);
    const d = await Container.run(IMG, { cmd: ['sleep', '60'], detach: true });
    try {
      await d.restart({ timeout: 0 });
      expect((await d.inspect()).State.Running).toBe(true);
      await d.pause();
      expect((await d.inspect()).State.Paused).toBe(true);
      await d.unpause();
      expect((await d.top()).Processes).toHaveLength(1);
    } finally {
      await d.remove({ force: true });
    }
    expectGone(d.id);
  });

  test("an attached container of another live process: listed, and stopped from here", async () => {
    const { child, line, exited } = spawnNode(`
      const c = await Container.run(${JSON.stringify(IMG)}, { cmd: ['sleep', '60'] });
      console.log(c.id);
      console.log(JSON.stringify(await c.wait()));
      await c.remove();`);
    const id = await line();
    try {
      const c = await Container.get(id);
      expect((await Container.list()).map((x) => x.id)).toContain(id);
      expect(await c.exec(['echo', 'hi'])).toMatchObject({ exitCode: 0, stdout: 'hi\n' });
      await c.stop({ timeout: 1 });
      expect(JSON.parse(await line())).toEqual({ exitCode: 137, oomKilled: false });
      await exited;
    } finally {
      child.kill('SIGKILL');
    }
    expectGone(id);
  });

  test('an owner that exits without waiting takes its attached container and rootfs mount with it', async () => {
    const out = runNode(`
      const c = await Container.run(${JSON.stringify(IMG)}, { cmd: ['sleep', '60'] });
      console.log(c.id);
      process.exit(0);`);
    const id = out.trim();
    // at once, before any other ocikit call has looked at it: no mount of it is left
    expect(mountedUnder(join(containersDir(), id))).toEqual([]);
    await until(async () => !(await (await Container.get(id)).inspect()).State.Running);
    await (await Container.get(id)).remove();
    expectGone(id);
  });

  for (const detach of [false, true]) {
    test(`a disposable ${detach ? 'detached' : 'attached'} container dies with its SIGKILLed owner; the next list collects it`, async () => {
      const { child, line, exited } = spawnNode(`
        const c = await Container.run(${JSON.stringify(IMG)}, { cmd: ['sleep', '60'], disposable: true, detach: ${detach} });
        console.log(c.id);
        setInterval(() => {}, 1000);`);
      const id = await line();
      expect((await (await Container.get(id)).inspect()).State.Running).toBe(true);
      child.kill('SIGKILL');
      await exited;
      // the next list collects it (or a list in a parallel test worker does: wait for its removal to finish)
      await until(async () => !(await Container.list({ all: true })).some((c) => c.id === id) && !existsSync(join(containersDir(), id)));
      expectGone(id);
    });
  }
});

asRoot('Container.run pulls a missing image', () => {
  test('from a loopback registry, then runs it', async () => {
    const { startRegistry } = await import('../../helpers/registry-server.js');
    const { buildBusyboxImage, pushBuiltImage } = await import('../../helpers/images.js');
    const { rmSync } = await import('node:fs');
    const server = await startRegistry();
    const built = await buildBusyboxImage();
    try {
      const ref = `${server.host}/ocikit-test/pulled:1`;
      await pushBuiltImage(built, server.host, 'ocikit-test/pulled:1');
      const c = await Container.run(ref, { cmd: ['echo', 'pulled'], rm: true });
      const out: Buffer[] = [];
      c.stdout.on('data', (d: Buffer) => out.push(d));
      expect(await c.wait()).toEqual({ exitCode: 0, oomKilled: false });
      expect(Buffer.concat(out).toString()).toBe('pulled\n');
      expectGone(c.id);
    } finally {
      await server.stop();
      rmSync(built.dir, { recursive: true, force: true });
    }
  });
});
