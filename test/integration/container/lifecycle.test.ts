import { jest } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Container } from '../../../lib/container/index.js';
import { Volume } from '../../../lib/volume/index.js';
import { Image } from '../../../lib/image/image.js';
import { cgroupsOf, containersDir, expectGone, loadBusybox, mountedUnder, removeMine, sleep } from './helpers.js';

const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;
jest.setTimeout(30_000);

const IMG = 'ocikit-test/busybox:latest';

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const l of it) out.push(l);
  return out;
}

asRoot('Container lifecycle (attached)', () => {
  afterAll(async () => {
    await removeMine(); // what a failed (timed-out) test left behind
  });
  beforeAll(async () => {
    await loadBusybox(IMG);
    await loadBusybox('ocikit-test/merge:latest', { Entrypoint: ['/bin/sh', '-c'], Cmd: ['echo from-image'], Env: ['PATH=/bin', 'A=image', 'B=image'], WorkingDir: '/etc', Volumes: { '/seeded': {} } }, { 'seeded/seed.txt': 'seed\n' });
  });

  test('run → exit code, stdout/stderr streams and logs', async () => {
    const c = await Container.run(IMG, { cmd: ['sh', '-c', 'echo hello; echo oops >&2; exit 3'] });
    try {
      const out: Buffer[] = [];
      c.stdout.on('data', (d: Buffer) => out.push(d));
      expect(await c.wait()).toEqual({ exitCode: 3, oomKilled: false });
      expect(Buffer.concat(out).toString()).toBe('hello\n');
      expect((await collect(c.logs())).sort()).toEqual(['hello\n', 'oops\n']);
      expect(await collect(c.logs({ stderr: false, timestamps: true }))).toEqual([expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z hello\n$/)]);
      expect(await collect(c.logs({ tail: 1 }))).toHaveLength(1);
      const info = await c.inspect();
      expect(info.State).toMatchObject({ Status: 'exited', Running: false, ExitCode: 3, OOMKilled: false });
      expect(info.Name).toBe(`/${c.name}`);
      expect(info.Path).toBe('sh');
    } finally {
      await c.remove();
    }
    expectGone(c.id);
  });

  test('image Entrypoint/Cmd/Env/WorkingDir merge with the options, as seen inside', async () => {
    const a = await Container.run('ocikit-test/merge', { rm: true });
    expect(await a.wait()).toMatchObject({ exitCode: 0 });
    const b = await Container.run('ocikit-test/merge', { cmd: ['echo $A $B $C; pwd; cat /seeded/seed.txt; hostname'], env: { B: 'opt', C: 'c' }, hostname: 'box1' });
    try {
      expect(await b.wait()).toMatchObject({ exitCode: 0 });
      expect((await collect(b.logs())).join('')).toBe('image opt c\n/etc\nseed\nbox1\n');
      const info = await b.inspect();
      expect(info.Config.Cmd).toEqual(['/bin/sh', '-c', 'echo $A $B $C; pwd; cat /seeded/seed.txt; hostname']);
      expect(info.Mounts).toEqual([expect.objectContaining({ Type: 'volume', Destination: '/seeded' })]);
    } finally {
      await b.remove({ volumes: true });
    }
    const c = await Container.run(IMG, { entrypoint: ['/bin/echo'], cmd: ['x', 'y'], workdir: '/tmp', user: '1:2' });
    try {
      await c.wait();
      expect(await collect(c.logs())).toEqual(['x y\n']);
    } finally {
      await c.remove();
    }
  });

  test('rm: true leaves nothing (state, mounts, cgroup, anonymous volumes)', async () => {
    const before = (await Volume.list()).length;
    const c = await Container.run('ocikit-test/merge', { cmd: ['echo gone'], rm: true });
    expect(await c.wait()).toEqual({ exitCode: 0, oomKilled: false });
    await expect(Container.get(c.id)).rejects.toMatchObject({ code: 'ERR_CONTAINER_NOT_FOUND' });
    expectGone(c.id);
    expect((await Volume.list()).length).toBe(before);
  });

  test('stdin of an interactive container', async () => {
    const c = await Container.run(IMG, { cmd: ['sh', '-c', 'read x; echo got $x'], interactive: true, rm: true });
    c.stdin?.end('ping\n');
    const out: Buffer[] = [];
    c.stdout.on('data', (d: Buffer) => out.push(d));
    expect(await c.wait()).toMatchObject({ exitCode: 0 });
    expect(Buffer.concat(out).toString()).toBe('got ping\n');
  });

  test('a tty container', async () => {
    const c = await Container.run(IMG, { cmd: ['sh', '-c', 'tty; echo $TERM'], tty: true, rm: true });
    const out: Buffer[] = [];
    c.stdout.on('data', (d: Buffer) => out.push(d));
    expect(await c.wait()).toMatchObject({ exitCode: 0 });
    expect(Buffer.concat(out).toString()).toMatch(/^\/dev\/pts\/\d+\r\nxterm\r\n$/);
  });

  test('exec sees the same pid namespace and file system; top and stats', async () => {
    const c = await Container.run(IMG, { cmd: ['sh', '-c', 'echo inside > /tmp/f; exec sleep 60'], pidsLimit: 50, memory: 64 * 2 ** 20 });
    try {
      await sleep(100);
      const r = await c.exec(['sh', '-c', 'cat /tmp/f; cat /proc/1/cmdline | tr "\\0" " "; echo; echo $X; pwd; id -u'], { env: { X: 'ex' }, workdir: '/tmp', user: '65534' });
      expect(r).toMatchObject({ exitCode: 0, stderr: '' });
      expect(r.stdout).toBe('inside\nsleep 60 \nex\n/tmp\n65534\n');
      expect(await c.exec(['sh', '-c', 'exit 7'])).toMatchObject({ exitCode: 7 });
      const top = await c.top();
      expect(top.Titles).toContain('PID');
      expect(top.Processes.map((p) => p[7])).toEqual(['sleep 60']);
      const stats = await c.stats();
      expect(stats.pids).toMatchObject({ current: 1, limit: 50 });
      expect(stats.memory.limit).toBe(64 * 2 ** 20);
      expect((await Container.list()).map((x) => x.id)).toContain(c.id);
      expect((await c.inspect()).State).toMatchObject({ Running: true, Status: 'running' });
    } finally {
      await c.remove({ force: true });
    }
    expectGone(c.id);
  });

  test('stop: stop signal, then SIGKILL after the timeout; restart; kill', async () => {
    const c = await Container.run(IMG, { cmd: ['sleep', '60'] });
    try {
      const t = Date.now();
      await c.stop({ timeout: 1 });
      expect(Date.now() - t).toBeGreaterThanOrEqual(900);
      expect(await c.wait()).toEqual({ exitCode: 137, oomKilled: false });
      expect(mountedUnder(join(containersDir(), c.id))).toEqual([]);
      expect(cgroupsOf(c.id)).toEqual([]);
      await c.restart();
      expect((await c.inspect()).State.Running).toBe(true);
      await c.kill('SIGTERM'); // PID 1 without a handler ignores it
      await sleep(100);
      expect((await c.inspect()).State.Running).toBe(true);
      await c.kill();
      expect(await c.wait()).toMatchObject({ exitCode: 137 });
    } finally {
      await c.remove({ force: true });
    }
    const trap = await Container.run(IMG, { cmd: ['sh', '-c', 'trap "exit 5" TERM; while true; do sleep 0.05; done'] });
    try {
      await sleep(200);
      await trap.stop();
      expect(await trap.wait()).toMatchObject({ exitCode: 5 });
    } finally {
      await trap.remove();
    }
  });

  test('pause and unpause freeze the container', async () => {
    const c = await Container.run(IMG, { cmd: ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo $i > /tmp/n; sleep 0.02; done'] });
    try {
      await sleep(200);
      await c.pause();
      expect((await c.inspect()).State).toMatchObject({ Status: 'paused', Paused: true, Running: true });
      const file = join(containersDir(), c.id, 'rootfs', 'tmp', 'n');
      const read = async (): Promise<number> => {
        for (;;) {
          const t = readFileSync(file, 'utf8'); // empty while the shell rewrites it
          if (t.trim() !== '') return Number(t);
          await sleep(5);
        }
      };
      const n1 = readFileSync(file, 'utf8');
      await sleep(200);
      expect(readFileSync(file, 'utf8')).toBe(n1); // frozen, even mid-write
      await c.unpause();
      await sleep(200);
      expect(await read()).toBeGreaterThan(Number(n1));
      await c.pause();
    } finally {
      await c.remove({ force: true }); // removing a paused container kills it
    }
    expectGone(c.id);
  });

  test('memory limit → OOM kill reported; pids limit holds', async () => {
    const c = await Container.run(IMG, { cmd: ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=64M', 'count=1'], memory: 16 * 2 ** 20, memorySwap: 16 * 2 ** 20, rm: true });
    expect(await c.wait()).toEqual({ exitCode: 137, oomKilled: true });
    const p = await Container.run(IMG, { cmd: ['sh', '-c', 'for i in $(seq 1 30); do sleep 2 & done 2>/dev/null; ls /proc | grep -c "^[0-9]"'], pidsLimit: 8 });
    try {
      await p.wait();
      expect(Number((await collect(p.logs({ stderr: false }))).join(''))).toBeLessThanOrEqual(8);
    } finally {
      await p.remove();
    }
  });

  for (const detach of [false, true]) {
    test(`${detach ? 'detached' : 'attached'}: a child OOM-killed while PID 1 exits 0 is reported as oomKilled (as Docker: the cgroup's oom_kill count)`, async () => {
      const cmd = ['sh', '-c', 'dd if=/dev/zero of=/dev/null bs=64M count=1; echo "dd: $?"; exit 0'];
      const c = await Container.run(IMG, { cmd, memory: 16 * 2 ** 20, memorySwap: 16 * 2 ** 20, detach });
      try {
        expect(await c.wait()).toEqual({ exitCode: 0, oomKilled: true });
        expect((await collect(c.logs({ stderr: false }))).join('')).toContain('dd: 137');
        expect((await c.inspect()).State).toMatchObject({ ExitCode: 0, OOMKilled: true });
      } finally {
        await c.remove({ force: true });
      }
    });
  }

  test('named volumes survive the container; anonymous ones go with volumes: true', async () => {
    const name = `ctr-vol-${process.pid}`;
    const c = await Container.run('ocikit-test/merge', { cmd: ['echo kept > /named/f; echo anon > /seeded/g'], mounts: [{ type: 'volume', source: name, target: '/named' }] });
    await c.wait();
    const anon = (await c.inspect()).Mounts.find((m) => m.Destination === '/seeded')?.Name as string;
    expect((await Volume.get(name)).usedBy).toEqual([c.id]);
    await c.remove({ volumes: true });
    const v = await Volume.get(name);
    expect(v.usedBy).toEqual([]);
    expect(readFileSync(join(v.mountpoint, 'f'), 'utf8')).toBe('kept\n');
    await expect(Volume.get(anon)).rejects.toMatchObject({ code: 'ERR_VOLUME_NOT_FOUND' });
    await Volume.remove(name);
  });

  test('await using stops and removes the container', async () => {
    let id = '';
    {
      await using c = await Container.run(IMG, { cmd: ['sleep', '60'], stopTimeout: 0 });
      id = c.id;
      expect((await c.inspect()).State.Running).toBe(true);
    }
    await expect(Container.get(id)).rejects.toMatchObject({ code: 'ERR_CONTAINER_NOT_FOUND' });
    expectGone(id);
  });

  test('names are unique; get by name and prefix; a start failure leaves nothing', async () => {
    const c = await Container.create(IMG, { name: `named-${process.pid}`, cmd: ['true'] });
    try {
      await expect(Container.create(IMG, { name: `named-${process.pid}` })).rejects.toMatchObject({ code: 'ERR_NAME_IN_USE' });
      expect((await Container.get(`named-${process.pid}`)).id).toBe(c.id);
      expect((await Container.get(c.id.slice(0, 12))).name).toBe(`named-${process.pid}`);
      expect((await c.inspect()).State.Status).toBe('created');
    } finally {
      await c.remove();
    }
    await expect(Container.run(IMG, { cmd: ['/nope'] })).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await Container.list({ all: true })).filter((x) => x.name.startsWith('named-'))).toEqual([]);
  });
  test('readonlyRootfs, an Image object, remove of a running container needs force', async () => {
    const img = await Image.get(IMG);
    const c = await Container.run(img, { cmd: ['sh', '-c', 'touch /x 2>/dev/null && echo rw || echo ro; sleep 60'], readonlyRootfs: true, stopTimeout: 0 });
    try {
      await expect(c.remove()).rejects.toMatchObject({ code: 'ERR_CONTAINER_RUNNING' });
      const lines: string[] = [];
      for await (const l of c.logs({ follow: true })) {
        lines.push(l);
        break;
      }
      expect(lines).toEqual(['ro\n']);
      expect((await c.inspect()).HostConfig.ReadonlyRootfs).toBe(true);
    } finally {
      await c.remove({ force: true });
    }
    await expect(c.exec(['true'])).rejects.toMatchObject({ code: 'ERR_CONTAINER_NOT_FOUND' });
  });

  test('execStream: stdin, a terminal, kill; exec into a stopped container fails', async () => {
    const c = await Container.run(IMG, { cmd: ['sleep', '60'], stopTimeout: 0 });
    try {
      const e = await c.execStream(['sh', '-c', 'read a; echo got $a; echo err >&2'], { interactive: true });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const ended = new Promise((r) => e.stdout.once('end', r));
      e.stdout.on('data', (d: Buffer) => out.push(d));
      e.stderr?.on('data', (d: Buffer) => err.push(d));
      e.stdin?.end('line\n');
      expect(await e.exited).toMatchObject({ exitCode: 0 });
      await ended;
      expect(Buffer.concat(out).toString()).toBe('got line\n');
      const t = await c.exec(['sh', '-c', 'tty'], { tty: true });
      expect(t.stdout).toMatch(/^\/dev\/pts\/\d+\r\n$/);
      const k = await c.execStream(['sleep', '30']);
      k.kill('SIGKILL');
      expect(await k.exited).toMatchObject({ signal: 'SIGKILL' });
      await c.stop();
      await expect(c.exec(['true'])).rejects.toMatchObject({ code: 'ERR_CONTAINER_NOT_RUNNING' });
    } finally {
      await c.remove({ force: true });
    }
  });
});
