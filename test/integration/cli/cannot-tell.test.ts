// "Cannot tell" is never "dead": a process whose addon does not load still sees a running container
// as running, and writes nothing about it (issue 10, item 1).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addonFileName, nativeDir } from '../../../lib/native/addon.js';
import { BIN, BUSYBOX, cliSandbox, type CliResult, type CliSandbox } from '../../helpers/cli-child.js';

const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;

asRoot('a process without a working addon', () => {
  let box: CliSandbox;
  /** The CLI in a mount namespace of its own where the addon is /dev/null: it cannot load. */
  const broken = (args: string[]): CliResult => {
    const addon = join(nativeDir(), addonFileName());
    const script = `mount --bind /dev/null '${addon}' && exec '${process.execPath}' '${BIN}' "$@"`;
    const r = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', ...args], { env: box.env, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  beforeAll(() => {
    box = cliSandbox('cannot-tell');
  });
  afterAll(() => box.cleanup());

  test('lists and inspects a running detached container as running and leaves its state alone', () => {
    const id = box.ok(['run', '-d', BUSYBOX, 'sleep', '1000']).trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const stateFile = join(box.tmp, 'root', 'containers', id, 'state.json');
    const before = readFileSync(stateFile, 'utf8');
    expect(broken(['version']).code).toBe(0);
    const ps = broken(['ps', '-a']);
    expect(ps.stdout).toMatch(/\bUp\b/);
    expect(ps.stdout).not.toContain('Exited');
    const inspect = broken(['inspect', id]);
    expect(JSON.parse(inspect.stdout)[0].State).toMatchObject({ Status: 'running', Running: true });
    expect(readFileSync(stateFile, 'utf8')).toBe(before);
    // and the container really is still there for a working process
    expect(box.ok(['exec', id, 'echo', 'still-here'])).toBe('still-here\n');
  });
});
