// `ocikit create` + `start` is detached, and `restart` keeps it so (issue 10, item 5).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeBusyboxTar } from '../../helpers/busybox-rootfs.js';

const repo = resolve(new URL('.', import.meta.url).pathname, '../../..');
const bin = join(repo, 'bin', 'ocikit.js');
const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;

asRoot('ocikit restart (child process)', () => {
  let tmp: string;
  const ocikit = (args: string[], timeout = 60_000): { code: number | null; stdout: string; stderr: string; ms: number } => {
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, OCIKIT_ROOT: join(tmp, 'root') }, encoding: 'utf8', timeout });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
  };
  const ok = (args: string[]): string => {
    const r = ocikit(args);
    if (r.code !== 0) throw new Error(`ocikit ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };

  beforeAll(() => {
    if (!existsSync(join(repo, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is not built: run `npx tsc -p tsconfig.json` first');
    tmp = mkdtempSync(join(tmpdir(), 'ocikit-cli-restart-'));
    ok(['import', writeBusyboxTar(join(tmp, 'rootfs.tar')), 'clitest/busybox:1', '-c', 'ENV PATH=/bin', '-c', 'CMD ["sh"]']);
  });
  afterAll(() => {
    for (const id of ocikit(['ps', '-a', '-q', '--no-trunc']).stdout.split('\n').filter(Boolean)) ocikit(['rm', '-f', id]);
    ocikit(['rmi', 'clitest/busybox:1']);
    rmSync(tmp, { recursive: true, force: true });
  });

  test('create + start + restart returns at once and the container keeps running after the CLI exits', () => {
    ok(['create', '--name', 'rs-web', 'clitest/busybox:1', 'sleep', '60']);
    expect(ok(['start', 'rs-web'])).toBe('rs-web\n');
    const r = ocikit(['restart', '-t', '0', 'rs-web'], 15_000);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: 'rs-web\n' });
    expect(r.ms).toBeLessThan(10_000);
    // the restarting process has exited: the container did not die with it
    expect(ok(['inspect', '-f', '{{.State.Running}}', 'rs-web'])).toBe('true\n');
    expect(ok(['restart', '-t', '0', 'rs-web'])).toBe('rs-web\n');
    expect(ok(['inspect', '-f', '{{.State.Running}}', 'rs-web'])).toBe('true\n');
    ok(['rm', '-f', 'rs-web']);
  });

  test('run -d + restart stays detached too', () => {
    ok(['run', '-d', '--name', 'rs-d', 'clitest/busybox:1', 'sleep', '60']);
    expect(ocikit(['restart', '-t', '0', 'rs-d'], 15_000).code).toBe(0);
    expect(ok(['inspect', '-f', '{{.State.Running}}', 'rs-d'])).toBe('true\n');
    ok(['rm', '-f', 'rs-d']);
  });
});
