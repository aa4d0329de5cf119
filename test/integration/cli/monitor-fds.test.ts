// The monitor of a detached container keeps none of the fds its starter inherited (issue 11, item 6):
// a caller reading a pipe the CLI inherited sees its end when the CLI exits, not when the container does.
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { BIN, BUSYBOX, cliSandbox, type CliSandbox } from '../../helpers/cli-child.js';

const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;

asRoot('ocikit-monitor and inherited file descriptors', () => {
  let box: CliSandbox;
  beforeAll(() => {
    box = cliSandbox('monitor-fds');
  });
  afterAll(() => box.cleanup());

  test('a pipe the CLI inherited as fd 40 ends when `run -d` exits', async () => {
    // (Node reuses the low fds for its own at start-up: a high one is what really gets through)
    const FD = 40;
    const stdio: ('ignore' | 'pipe' | 'inherit')[] = ['ignore', 'pipe', 'inherit', ...Array<'ignore'>(FD - 3).fill('ignore'), 'pipe'];
    const child = spawn(process.execPath, [BIN, 'run', '-d', BUSYBOX, 'sleep', '1000'], { env: box.env, stdio });
    let id = '';
    child.stdout!.on('data', (d: Buffer) => (id += d.toString()));
    const extra = (child.stdio as unknown as Readable[])[FD]!;
    extra.resume();
    const ended = new Promise<'ended'>((r) => extra.once('close', () => r('ended')));
    await new Promise((r) => child.once('exit', r));
    const result = await Promise.race([ended, new Promise<'open'>((r) => setTimeout(() => r('open'), 3000))]);
    extra.destroy();
    expect(id.trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(box.ok(['ps', '-q', '--no-trunc'])).toContain(id.trim());
    expect(result).toBe('ended');
  });
});
