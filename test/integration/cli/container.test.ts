import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeBusyboxTar } from '../../helpers/busybox-rootfs.js';

const repo = resolve(new URL('.', import.meta.url).pathname, '../../..');
const bin = join(repo, 'bin', 'ocikit.js');

describe('ocikit container verbs (child process)', () => {
  let tmp: string;
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, OCIKIT_ROOT: join(tmp, 'root') });
  const ocikit = (args: string[], input?: string | Buffer): { code: number | null; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, [bin, ...args], { env: env(), input, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const ok = (args: string[], input?: string | Buffer): string => {
    const r = ocikit(args, input);
    if (r.code !== 0) throw new Error(`ocikit ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };

  beforeAll(() => {
    if (!existsSync(join(repo, 'dist', 'cli', 'verbs', 'container-handlers.js'))) throw new Error('dist/ is not built: run `npx tsc -p tsconfig.json` first');
    tmp = mkdtempSync(join(tmpdir(), 'ocikit-cli-ctr-'));
    const id = ok(['import', writeBusyboxTar(join(tmp, 'rootfs.tar')), 'clitest/busybox:1', '-c', 'ENV PATH=/bin', '-c', 'CMD ["sh"]', '-m', 'busybox for cli tests']).trim();
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
  afterAll(() => {
    const left = ocikit(['ps', '-a', '-q', '--no-trunc']).stdout.split('\n').filter(Boolean);
    for (const id of left) ocikit(['rm', '-f', id]);
    for (const ref of ['clitest/busybox:1', 'clitest/committed:1', 'clitest/stdin:1']) ocikit(['rmi', ref]);
    rmSync(tmp, { recursive: true, force: true });
  });

  test('run prints output, returns the exit code; 127 not found, 126 not executable, 125 bad flags', () => {
    const r = ocikit(['run', '--rm', 'clitest/busybox:1', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(r).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' });
    expect(ocikit(['run', '--rm', 'clitest/busybox:1', 'no-such-command']).code).toBe(127);
    expect(ocikit(['run', '--rm', 'clitest/busybox:1', '/etc/passwd']).code).toBe(126);
    expect(ocikit(['run', '--bogus', 'clitest/busybox:1']).code).toBe(125);
    expect(ocikit(['ps', '-a', '-q']).stdout).toBe('');
  });

  test('run -i passes stdin; import - reads a tar from stdin', () => {
    expect(ok(['run', '-i', '--rm', 'clitest/busybox:1', 'sh', '-c', 'cat; echo done'], 'from stdin\n')).toBe('from stdin\ndone\n');
    const id = ok(['import', '-', 'clitest/stdin:1'], readFileSync(join(tmp, 'rootfs.tar'))).trim();
    expect(ok(['history', '--no-trunc', 'clitest/stdin:1'])).toContain('Imported from -');
    expect(ok(['images', '-q', '--no-trunc', 'clitest/stdin:1'])).toBe(`${id}\n`);
  });

  test('run -it: raw terminal, initial size and SIGWINCH resizes reach the container', () => {
    const r = spawnSync('python3', [join(repo, 'test/helpers/winch-pty.py'), process.execPath, bin, 'run', '-it', '--rm', 'clitest/busybox:1', 'sh', '-c', 'sleep 0.5; stty size; sleep 1; stty size'], { env: env(), encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout.replace(/\r/g, '')).toBe('30 100\n40 120\n');
  });

  test('a detached container through its life: ps, logs, exec, top, stats, pause, cp, diff, commit, export, inspect, port, stop, wait, rm', () => {
    const id = ok(['run', '-d', '--name', 'clitest-web', 'clitest/busybox:1', 'sh', '-c', 'echo started; while true; do sleep 0.1; done']).trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const ps = ok(['ps']).split('\n');
    expect(ps[0]).toMatch(/^CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES$/);
    expect(ps.find((l) => l.startsWith(id.slice(0, 12)))).toMatch(/clitest\/busybox:1 +"sh -c echo started;…" +.* +Up .* +clitest-web$/);
    expect(ok(['ps', '-q'])).toBe(`${id.slice(0, 12)}\n`);
    expect(ok(['ps', '-q', '--no-trunc'])).toBe(`${id}\n`);
    for (let i = 0; i < 50 && ok(['logs', 'clitest-web']) === ''; i++) spawnSync('sleep', ['0.05']);
    expect(ok(['logs', 'clitest-web'])).toBe('started\n');
    expect(ok(['logs', '-t', '--tail', '1', 'clitest-web'])).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z started\n$/);
    expect(ocikit(['exec', 'clitest-web', 'sh', '-c', 'echo in exec; exit 4'])).toEqual({ code: 4, stdout: 'in exec\n', stderr: '' });
    expect(ocikit(['exec', 'clitest-web', 'no-such-command']).code).toBe(127);
    expect(ocikit(['exec', 'clitest-web', '/etc/passwd']).code).toBe(126);
    expect(ok(['top', 'clitest-web'])).toMatch(/^UID +PID +PPID +C +STIME +TTY +TIME +CMD\n[\s\S]*sh -c echo started/);
    expect(ok(['stats', '--no-stream', 'clitest-web'])).toMatch(/^CONTAINER ID +NAME +CPU TIME +MEM USAGE \/ LIMIT +MEM % +PIDS\n[0-9a-f]{12} +clitest-web /);
    expect(ok(['pause', 'clitest-web'])).toBe('clitest-web\n');
    expect(ok(['ps'])).toContain('(Paused)');
    expect(ok(['unpause', 'clitest-web'])).toBe('clitest-web\n');

    // cp in both directions, to a directory and to a new name, and as tar streams
    writeFileSync(join(tmp, 'hello.txt'), 'hello\n');
    mkdirSync(join(tmp, 'dir/sub'), { recursive: true });
    writeFileSync(join(tmp, 'dir/sub/f'), 'f\n');
    ok(['cp', join(tmp, 'hello.txt'), 'clitest-web:/tmp/']);
    ok(['cp', join(tmp, 'hello.txt'), 'clitest-web:/tmp/renamed.txt']);
    ok(['cp', join(tmp, 'dir'), 'clitest-web:/tmp/']);
    expect(ok(['exec', 'clitest-web', 'cat', '/tmp/hello.txt', '/tmp/renamed.txt', '/tmp/dir/sub/f'])).toBe('hello\nhello\nf\n');
    ok(['cp', 'clitest-web:/tmp/renamed.txt', join(tmp, 'back.txt')]);
    expect(readFileSync(join(tmp, 'back.txt'), 'utf8')).toBe('hello\n');
    ok(['cp', 'clitest-web:/tmp/dir', join(tmp, 'dircopy')]);
    expect(readFileSync(join(tmp, 'dircopy/sub/f'), 'utf8')).toBe('f\n');
    mkdirSync(join(tmp, 'into'));
    ok(['cp', 'clitest-web:/tmp/dir', join(tmp, 'into')]);
    expect(readFileSync(join(tmp, 'into/dir/sub/f'), 'utf8')).toBe('f\n');
    const tarOut = spawnSync(process.execPath, [bin, 'cp', 'clitest-web:/tmp/hello.txt', '-'], { env: env(), timeout: 60_000 });
    expect(tarOut.status).toBe(0);
    writeFileSync(join(tmp, 'one.tar'), tarOut.stdout);
    expect(spawnSync('tar', ['-tf', join(tmp, 'one.tar')], { encoding: 'utf8' }).stdout).toBe('hello.txt\n');
    ok(['cp', '-', 'clitest-web:/root'], tarOut.stdout);
    expect(ok(['exec', 'clitest-web', 'cat', '/root/hello.txt'])).toBe('hello\n');
    expect(ocikit(['cp', 'clitest-web:/nope', join(tmp, 'x')]).code).toBe(125);

    const diff = ok(['diff', 'clitest-web']).split('\n');
    expect(diff).toEqual(expect.arrayContaining(['C /tmp', 'A /tmp/hello.txt', 'A /tmp/dir/sub/f', 'C /root', 'A /root/hello.txt']));

    const imageId = ok(['commit', '-m', 'with hello', '-a', 'CLI Tester', '-c', 'CMD ["cat", "/tmp/hello.txt"]', 'clitest-web', 'clitest/committed:1']).trim();
    expect(imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(ok(['run', '--rm', 'clitest/committed:1'])).toBe('hello\n');
    const inspected = JSON.parse(ok(['inspect', 'clitest/committed:1'])) as { Author: string; Comment: string; Config: { Cmd: string[] } }[];
    expect(inspected[0]?.Author).toBe('CLI Tester');
    expect(inspected[0]?.Config.Cmd).toEqual(['cat', '/tmp/hello.txt']);
    expect(ok(['history', 'clitest/committed:1'])).toContain('with hello');
    expect(ok(['inspect', '-f', '{{.State.Status}} {{.Name}}', 'clitest-web'])).toBe('running /clitest-web\n');

    ok(['export', '-o', join(tmp, 'web.tar'), 'clitest-web']);
    const names = spawnSync('tar', ['-tf', join(tmp, 'web.tar')], { encoding: 'utf8' }).stdout.split('\n');
    expect(names).toEqual(expect.arrayContaining(['bin/busybox', 'tmp/hello.txt', 'root/hello.txt']));

    expect(ocikit(['port', 'clitest-web'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(ocikit(['port', 'clitest-web', '80']).stderr).toBe("Error: No public port '80/tcp' published for clitest-web\n");

    expect(ok(['kill', '-s', 'TERM', 'clitest-web'])).toBe('clitest-web\n'); // PID 1 ignores TERM
    expect(ok(['stop', '-t', '1', 'clitest-web'])).toBe('clitest-web\n');
    expect(ok(['wait', 'clitest-web'])).toBe('137\n');
    expect(ok(['ps', '-a'])).toMatch(/Exited \(137\) .* clitest-web/);
    expect(ok(['restart', '-t', '0', 'clitest-web'])).toBe('clitest-web\n');
    expect(ok(['ps'])).toContain('clitest-web');
    expect(ok(['rm', '-f', 'clitest-web'])).toBe('clitest-web\n');
    expect(ocikit(['rm', 'clitest-web'])).toMatchObject({ code: 1, stderr: expect.stringContaining('no such container: clitest-web') as unknown as string });
  });

  test('logs -f follows until the container exits; exec -it gets a terminal of the caller\'s size; SIGTERM is proxied', async () => {
    ok(['run', '-d', '--name', 'clitest-follow', 'clitest/busybox:1', 'sh', '-c', 'echo a; sleep 0.5; echo b']);
    expect(ok(['logs', '-f', 'clitest-follow'])).toBe('a\nb\n');
    ok(['rm', 'clitest-follow']);
    ok(['run', '-d', '--name', 'clitest-tty', 'clitest/busybox:1', 'sleep', '30']);
    const r = spawnSync('python3', [join(repo, 'test/helpers/winch-pty.py'), process.execPath, bin, 'exec', '-it', 'clitest-tty', 'sh', '-c', 'sleep 0.3; stty size; tty'], { env: env(), encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout.replace(/\r/g, '')).toMatch(/^30 100\n\/dev\/pts\/\d+\n$/);
    ok(['rm', '-f', 'clitest-tty']);
    // an attached run: SIGTERM to the CLI reaches the container's shell, which traps it
    const child = spawn(process.execPath, [bin, 'run', '--rm', 'clitest/busybox:1', 'sh', '-c', 'trap "echo got TERM; exit 9" TERM; echo ready; while true; do sleep 0.1; done'], { env: env() });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out === 'ready\n') child.kill('SIGTERM');
    });
    const code = await new Promise<number | null>((r) => child.once('close', r));
    expect(out).toBe('ready\ngot TERM\n');
    expect(code).toBe(9);
  });

  test('run -a connects only the streams asked for', () => {
    const script = 'echo to-out; echo to-err >&2; exit 3';
    expect(ocikit(['run', '--rm', '-a', 'stderr', 'clitest/busybox:1', 'sh', '-c', script])).toEqual({ code: 3, stdout: '', stderr: 'to-err\n' });
    expect(ocikit(['run', '--rm', '-a', 'STDOUT', 'clitest/busybox:1', 'sh', '-c', script])).toEqual({ code: 3, stdout: 'to-out\n', stderr: '' });
    expect(ocikit(['run', '--rm', 'clitest/busybox:1', 'sh', '-c', script])).toEqual({ code: 3, stdout: 'to-out\n', stderr: 'to-err\n' });
  });

  test('create, start -a, and wait of a stopped container', () => {
    const id = ok(['create', '--name', 'clitest-created', 'clitest/busybox:1', 'sh', '-c', 'echo attached; exit 5']).trim();
    expect(ok(['ps', '-a'])).toMatch(new RegExp(`${id.slice(0, 12)} .* Created .* clitest-created`));
    expect(ocikit(['start', '-a', 'clitest-created'])).toEqual({ code: 5, stdout: 'attached\n', stderr: '' });
    expect(ocikit(['wait', 'clitest-created'])).toEqual({ code: 0, stdout: '5\n', stderr: '' });
    expect(ok(['start', 'clitest-created'])).toBe('clitest-created\n');
    expect(ok(['wait', 'clitest-created'])).toBe('5\n');
    expect(ok(['logs', 'clitest-created'])).toBe('attached\nattached\n');
    expect(ok(['rm', 'clitest-created'])).toBe('clitest-created\n');
  });
});
