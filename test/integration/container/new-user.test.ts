// Defects a new user hits through the library: exec -t gets TERM like run -t, exec of a missing
// command says "executable file not found", and an untouched container's diff is empty.
import { jest } from '@jest/globals';
import { Container } from '../../../lib/container/index.js';
import { SyscallError } from '../../../lib/errors.js';
import { loadBusybox, removeMine } from './helpers.js';

const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;
jest.setTimeout(30_000);

asRoot('a running container as a new user meets it', () => {
  let c: Container;
  beforeAll(async () => {
    // busybox with /etc (passwd, group) but no /etc/hosts, hostname or resolv.conf: the runtime makes them
    const image = await loadBusybox('ocikit-test/new-user:latest');
    c = await Container.run(image, { cmd: ['sleep', '60'], detach: true, stopTimeout: 0 });
  });
  afterAll(async () => {
    await c?.remove({ force: true });
    await removeMine();
  });

  test('diff of an untouched container lists nothing (no C /etc); a real change still shows', async () => {
    expect(await c.diff()).toEqual([]);
    await c.exec(['sh', '-c', 'echo hi > /etc/motd']);
    expect((await c.diff()).map((d) => `${d.kind} ${d.path}`)).toEqual(['C /etc', 'A /etc/motd']);
    await c.exec(['rm', '/etc/motd']);
  });

  test('exec with tty sets TERM=xterm as run -t does; without, none; -e TERM wins', async () => {
    expect((await c.exec(['env'], { tty: true })).stdout.split(/\r?\n/)).toContain('TERM=xterm');
    expect((await c.exec(['env'])).stdout.split('\n').filter((l) => l.startsWith('TERM='))).toEqual([]);
    expect((await c.exec(['env'], { tty: true, env: ['TERM=vt100'] })).stdout.split(/\r?\n/).filter((l) => l.startsWith('TERM='))).toEqual(['TERM=vt100']);
  });

  test('exec of a missing command: a typed error saying executable file not found', async () => {
    const err = await c.exec(['no-such-command']).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(SyscallError);
    expect(err).toMatchObject({ code: 'ENOENT', message: 'exec: "no-such-command": executable file not found in $PATH' });
  });
});
