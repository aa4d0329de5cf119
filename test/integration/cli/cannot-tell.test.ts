// "Cannot tell" is never "dead": a process whose addon does not load still sees a running container
// as running, and writes nothing about it (issue 10, item 1).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { addonFileName, nativeDir } from '../../../lib/native/addon.js';
import { writeBusyboxTar } from '../../helpers/busybox-rootfs.js';

const repo = resolve(new URL('.', import.meta.url).pathname, '../../..');
const bin = join(repo, 'bin', 'ocikit.js');
const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;

asRoot('a process without a working addon', () => {
  let tmp: string;
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, OCIKIT_ROOT: join(tmp, 'root') });
  const ocikit = (args: string[]): { code: number | null; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, [bin, ...args], { env: env(), encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  /** The CLI in a mount namespace of its own where the addon is /dev/null: it cannot load. */
  const broken = (args: string[]): { code: number | null; stdout: string; stderr: string } => {
    const addon = join(nativeDir(), addonFileName());
    const script = `mount --bind /dev/null '${addon}' && exec '${process.execPath}' '${bin}' "$@"`;
    const r = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', ...args], { env: env(), encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ocikit-cannot-tell-'));
    expect(ocikit(['import', writeBusyboxTar(join(tmp, 'rootfs.tar')), 'ct/busybox:1', '-c', 'ENV PATH=/bin']).code).toBe(0);
  });
  afterAll(() => {
    for (const id of ocikit(['ps', '-a', '-q', '--no-trunc']).stdout.split('\n').filter(Boolean)) ocikit(['rm', '-f', id]);
    ocikit(['rmi', 'ct/busybox:1']);
    rmSync(tmp, { recursive: true, force: true });
  });

  test('lists and inspects a running detached container as running and leaves its state alone', () => {
    const id = ocikit(['run', '-d', 'ct/busybox:1', 'sleep', '1000']).stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const stateFile = join(tmp, 'root', 'containers', id, 'state.json');
    const before = readFileSync(stateFile, 'utf8');
    expect(broken(['version']).code).toBe(0);
    const ps = broken(['ps', '-a']);
    expect(ps.stdout).toMatch(/\bUp\b/);
    expect(ps.stdout).not.toContain('Exited');
    const inspect = broken(['inspect', id]);
    expect(JSON.parse(inspect.stdout)[0].State).toMatchObject({ Status: 'running', Running: true });
    expect(readFileSync(stateFile, 'utf8')).toBe(before);
    // and the container really is still there for a working process
    expect(ocikit(['exec', id, 'echo', 'still-here']).stdout).toBe('still-here\n');
  });
});
