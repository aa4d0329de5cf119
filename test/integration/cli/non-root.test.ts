/**
 * A user who is not root is told that ocikit needs root (no rootless mode
 * yet), exit 125, instead of a bare EACCES or a container half made; verbs
 * that only read keep working where the files are readable.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBusyboxTar } from '../../helpers/busybox-rootfs.js';
import { BIN, REPO } from '../../helpers/cli-child.js';

const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;
const asRoot = process.geteuid?.() === 0 && hasSetpriv ? describe : describe.skip;
const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
const NEEDS_ROOT = 'Error: ocikit needs root (rootless mode is not available yet)';

let tmp: string;
let roRoot: string; // root's, readable by everyone, not writable by nobody
let rwRoot: string; // writable by nobody
let tar: string;

function ocikit(root: string, args: readonly string[], asNobody = true): { code: number | null; stdout: string; stderr: string } {
  const [cmd, ...pre] = asNobody ? [...NOBODY, process.execPath] : [process.execPath];
  const r = spawnSync(cmd as string, [...pre, BIN, ...args], { env: { ...process.env, OCIKIT_ROOT: root }, input: '', encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

asRoot('ocikit as a user who is not root', () => {
  beforeAll(() => {
    if (!existsSync(join(REPO, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is not built: run `npx tsc -p tsconfig.json` first');
    tmp = mkdtempSync(join(tmpdir(), 'ocikit-nonroot-'));
    chmodSync(tmp, 0o755);
    tar = writeBusyboxTar(join(tmp, 'rootfs.tar'));
    chmodSync(tar, 0o644);
    roRoot = join(tmp, 'ro');
    rwRoot = join(tmp, 'rw');
    mkdirSync(rwRoot, { mode: 0o777 });
    chmodSync(rwRoot, 0o777);
    expect(ocikit(roRoot, ['import', tar, 'nr/busybox:1', '-c', 'CMD ["true"]'], false).code).toBe(0);
    expect(ocikit(roRoot, ['volume', 'create', 'v1'], false).code).toBe(0);
    spawnSync('chmod', ['-R', 'a+rX', roRoot]);
  }, 120_000);

  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  test('run and create: refused up front with the reason, exit 125, nothing created', () => {
    for (const root of [roRoot, rwRoot]) {
      for (const args of [['run', '--rm', 'nr/busybox:1', 'true'], ['run', '-d', '-v', `${join(tmp, 'made-by-run')}:/x`, 'nr/busybox:1'], ['create', 'nr/busybox:1']]) {
        const r = ocikit(root, args);
        expect([args, r.code, r.stderr]).toEqual([args, 125, `${NEEDS_ROOT}\n`]);
      }
    }
    expect(existsSync(join(tmp, 'made-by-run'))).toBe(false);
    expect(existsSync(join(rwRoot, 'containers')) ? readdirSync(join(rwRoot, 'containers')) : []).toEqual([]);
  });

  test('writing a root it may not write (pull, import, load, volume create): the reason, then what was denied', () => {
    for (const args of [['pull', '127.0.0.1:1/x:1'], ['import', tar, 'x:1'], ['load', '-i', tar], ['volume', 'create', 'v2']]) {
      const r = ocikit(roRoot, args);
      expect([args, r.code]).toEqual([args, 125]);
      expect(r.stderr.split('\n').filter((l) => l.startsWith('Error: '))).toEqual([expect.stringMatching(/^Error: ocikit needs root \(rootless mode is not available yet\): (EACCES: permission denied|cannot create lock file).*\/ro\//)]);
    }
  });

  test('verbs that only read still work where permissions allow', () => {
    expect(ocikit(roRoot, ['images']).stdout).toMatch(/^REPOSITORY +TAG +IMAGE ID +CREATED +SIZE\nnr\/busybox +1 /);
    expect(ocikit(roRoot, ['inspect', '-f', '{{.Config.Cmd}}', 'nr/busybox:1']).stdout).toBe('[true]\n');
    expect(ocikit(roRoot, ['volume', 'ls', '-q']).stdout).toBe('v1\n');
    expect(ocikit(roRoot, ['ps', '-a']).code).toBe(0);
    expect(ocikit(rwRoot, ['import', tar, 'mine:1']).code).toBe(0); // a root of its own it may fill
    expect(ocikit(rwRoot, ['images', '-q']).stdout).toMatch(/^[0-9a-f]{12}\n$/);
  });

  test('root itself is not affected', () => {
    const r = ocikit(roRoot, ['create', '--name', 'nr-by-root', 'nr/busybox:1'], false);
    expect(r.code).toBe(0);
    expect(ocikit(roRoot, ['rm', 'nr-by-root'], false).code).toBe(0);
  });
});
