// `ocikit rmi` refuses an image a container uses unless -f; with -f the container keeps working (issue 10, item 6).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeBusyboxTar } from '../../helpers/busybox-rootfs.js';

const repo = resolve(new URL('.', import.meta.url).pathname, '../../..');
const bin = join(repo, 'bin', 'ocikit.js');
const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;

asRoot('ocikit rmi of an image in use (child process)', () => {
  let tmp: string;
  const ocikit = (args: string[]): { code: number | null; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, OCIKIT_ROOT: join(tmp, 'root') }, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const ok = (args: string[]): string => {
    const r = ocikit(args);
    if (r.code !== 0) throw new Error(`ocikit ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };

  beforeAll(() => {
    if (!existsSync(join(repo, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is not built: run `npx tsc -p tsconfig.json` first');
    tmp = mkdtempSync(join(tmpdir(), 'ocikit-cli-rmi-'));
    ok(['import', writeBusyboxTar(join(tmp, 'rootfs.tar')), 'rmiuse/busybox:1', '-c', 'ENV PATH=/bin', '-c', 'CMD ["sh"]']);
  });
  afterAll(() => {
    for (const id of ocikit(['ps', '-a', '-q', '--no-trunc']).stdout.split('\n').filter(Boolean)) ocikit(['rm', '-f', id]);
    for (const id of ocikit(['images', '-q', '--no-trunc']).stdout.split('\n').filter(Boolean)) ocikit(['rmi', '-f', id]);
    rmSync(tmp, { recursive: true, force: true });
  });

  test('rmi refuses, naming the container; rmi -f untags and a later commit still works', () => {
    const id = ok(['create', '--name', 'rmi-user', 'rmiuse/busybox:1', 'sh', '-c', 'echo hi > /f']).trim();
    const refused = ocikit(['rmi', 'rmiuse/busybox:1']);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('conflict: unable to remove repository reference "rmiuse/busybox:1" (must force) - container');
    expect(refused.stderr).toContain(id.slice(0, 12));
    expect(ok(['images', '-q'])).not.toBe('');

    const forced = ok(['rmi', '-f', 'rmiuse/busybox:1']);
    expect(forced).toBe('Untagged: rmiuse/busybox:1\n'); // not deleted: the container needs it
    ok(['start', '-a', 'rmi-user']);
    expect(ok(['commit', 'rmi-user', 'rmiuse/committed:1'])).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    expect(ok(['run', '--rm', 'rmiuse/committed:1', 'cat', '/f'])).toBe('hi\n');
  });
});
