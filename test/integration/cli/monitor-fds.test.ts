// The monitor of a detached container keeps none of the fds its starter inherited (issue 11, item 6):
// a caller reading a pipe the CLI inherited sees its end when the CLI exits, not when the container does.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { writeBusyboxTar } from '../../helpers/busybox-rootfs.js';

const repo = resolve(new URL('.', import.meta.url).pathname, '../../..');
const bin = join(repo, 'bin', 'ocikit.js');
const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;

asRoot('ocikit-monitor and inherited file descriptors', () => {
  let tmp: string;
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, OCIKIT_ROOT: join(tmp, 'root') });
  const ocikit = (args: string[]): { code: number | null; stdout: string } => {
    const r = spawnSync(process.execPath, [bin, ...args], { env: env(), encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, stdout: r.stdout };
  };
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ocikit-monitor-fds-'));
    expect(ocikit(['import', writeBusyboxTar(join(tmp, 'rootfs.tar')), 'fds/busybox:1', '-c', 'ENV PATH=/bin']).code).toBe(0);
  });
  afterAll(() => {
    for (const id of ocikit(['ps', '-a', '-q', '--no-trunc']).stdout.split('\n').filter(Boolean)) ocikit(['rm', '-f', id]);
    ocikit(['rmi', 'fds/busybox:1']);
    rmSync(tmp, { recursive: true, force: true });
  });

  test('a pipe the CLI inherited as fd 40 ends when `run -d` exits', async () => {
    // (Node reuses the low fds for its own at start-up: a high one is what really gets through)
    const FD = 40;
    const stdio: ('ignore' | 'pipe' | 'inherit')[] = ['ignore', 'pipe', 'inherit', ...Array<'ignore'>(FD - 3).fill('ignore'), 'pipe'];
    const child = spawn(process.execPath, [bin, 'run', '-d', 'fds/busybox:1', 'sleep', '1000'], { env: env(), stdio });
    let id = '';
    child.stdout!.on('data', (d: Buffer) => (id += d.toString()));
    const extra = (child.stdio as unknown as Readable[])[FD]!;
    extra.resume();
    const ended = new Promise<'ended'>((r) => extra.once('close', () => r('ended')));
    await new Promise((r) => child.once('exit', r));
    const result = await Promise.race([ended, new Promise<'open'>((r) => setTimeout(() => r('open'), 3000))]);
    extra.destroy();
    expect(id.trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(ocikit(['ps', '-q', '--no-trunc']).stdout).toContain(id.trim());
    expect(result).toBe('ended');
  });
});
