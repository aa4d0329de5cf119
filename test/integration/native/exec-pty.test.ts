import { closeSync, rmSync, writeSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import { execInContainer, spawnContainer, type ContainerProcess } from '../../../lib/native/runtime.js';
import { baseSpec, busyboxRootfs, Capture, reap } from './helpers.js';

const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;

/** Collects what the pty master yields until the process exits. */
async function ptyOutput(c: ContainerProcess, onData?: (text: string) => void): Promise<string> {
  const fd = c.ptyMaster;
  if (fd === null) throw new Error('no pty');
  const stream = new ReadStream(fd);
  let text = '';
  stream.on('data', (d: Buffer) => {
    text += d.toString();
    onData?.(text);
  });
  stream.on('error', () => undefined); // EIO once the slave side is closed
  await c.exited;
  await new Promise((r) => setTimeout(r, 50));
  stream.destroy();
  return text;
}

asRoot('exec and terminals', () => {
  let root: string;
  let cap: Capture;
  let init: ContainerProcess | undefined;
  beforeAll(() => {
    root = busyboxRootfs();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  beforeEach(() => {
    cap = new Capture();
  });
  afterEach(async () => {
    await reap(init);
    init = undefined;
    cap.close();
  });

  test('exec joins the same pid namespace, with its own env, user and cwd', async () => {
    init = spawnContainer(baseSpec(root, ['sleep', '100']), { stdio: cap.stdio });
    const spec = baseSpec(root, ['sh', '-c', 'echo $$ $B; pwd; id -u; hostname; ls /proc | grep -c "^[0-9]"; cat /proc/1/cmdline']);
    spec.process!.env = ['PATH=/bin', 'B=exec'];
    spec.process!.cwd = '/etc';
    spec.process!.user = { uid: 65534, gid: 65534 };
    spec.process!.capabilities = { bounding: ['CAP_KILL'] };
    const out = new Capture();
    try {
      const e = execInContainer(init, spec, { stdio: out.stdio });
      expect(await e.exited).toMatchObject({ exitCode: 0 });
      const lines = out.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^\d+ exec$/);
      expect(lines[0]).not.toMatch(/^1 /);
      expect(lines.slice(1, 4)).toEqual(['/etc', '65534', 'ocikit-test']);
      expect(Number(lines[4])).toBeLessThanOrEqual(5);
      expect(lines[5]).toContain('sleep');
    } finally {
      out.close();
    }
  });

  test('exec into a stopped container is ESRCH', async () => {
    init = spawnContainer(baseSpec(root, ['true']), { stdio: cap.stdio });
    await init.exited;
    expect(() => execInContainer(init!, baseSpec(root, ['true']), { stdio: cap.stdio })).toThrow(
      expect.objectContaining({ code: 'ESRCH' }),
    );
  });

  test('a terminal from the container devpts is the controlling tty and resizes', async () => {
    const spec = baseSpec(root, ['sh', '-c', 'tty; stty size; read x; stty size']);
    spec.process!.terminal = true;
    spec.process!.consoleSize = { height: 30, width: 90 };
    init = spawnContainer(spec, { stdio: cap.stdio });
    const fd = init.ptyMaster!;
    let resized = false;
    const text = await ptyOutput(init, (t) => {
      if (!resized && t.includes('30 90')) {
        resized = true;
        init!.resize(40, 100);
        writeSync(fd, 'go\n');
      }
    }).catch(async () => '');
    expect(text).toMatch(/\/dev\/pts\/\d+/);
    expect(text).toContain('30 90');
    expect(text).toContain('40 100');
    try {
      closeSync(fd);
    } catch {
      // the stream closed it
    }
  });

  test('exec with a terminal', async () => {
    init = spawnContainer(baseSpec(root, ['sleep', '100']), { stdio: cap.stdio });
    const spec = baseSpec(root, ['sh', '-c', 'tty; test -t 0 && echo interactive']);
    spec.process!.terminal = true;
    const e = execInContainer(init, spec, { stdio: cap.stdio });
    const text = await ptyOutput(e);
    expect(text).toMatch(/\/dev\/pts\/\d+/);
    expect(text).toContain('interactive');
  });
});
