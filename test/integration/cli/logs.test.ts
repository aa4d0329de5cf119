// `ocikit logs`: stderr to stderr, quiet on a closed pipe, --until (issue 10, item 8).
import { spawnSync } from 'node:child_process';
import { cliSandbox, BUSYBOX, BIN, type CliResult, type CliSandbox } from '../../helpers/cli-child.js';

const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;

asRoot('ocikit logs (child process)', () => {
  let box: CliSandbox;
  const ocikit = (args: string[]): CliResult => box.run(args);
  const ok = (args: string[]): string => box.ok(args);
  const env = (): NodeJS.ProcessEnv => box.env;

  beforeAll(() => {
    box = cliSandbox('cli-logs');
    ok(['run', '-d', '--name', 'lg-both', BUSYBOX, 'sh', '-c', 'echo out1; echo err1 >&2; echo out2; echo err2 >&2']);
    ok(['run', '-d', '--name', 'lg-many', BUSYBOX, 'sh', '-c', 'i=0; while [ $i -lt 40000 ]; do echo line $i; i=$((i+1)); done']);
    expect(ok(['wait', 'lg-both', 'lg-many'])).toBe('0\n0\n');
  });
  afterAll(() => box.cleanup());

  test("the container's stderr goes to stderr, its stdout to stdout", () => {
    expect(ocikit(['logs', 'lg-both'])).toEqual({ code: 0, stdout: 'out1\nout2\n', stderr: 'err1\nerr2\n' });
    const t = ocikit(['logs', '-t', '--tail', '1', 'lg-both']);
    expect(t.stdout + t.stderr).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z (out2|err2)\n$/);
  });

  test('a reader that closes the pipe ends it quietly: no EPIPE stack trace', () => {
    for (const args of ['logs lg-many', 'logs -f lg-many', 'logs -t lg-many']) {
      const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" ${args} | head -1`], { env: env(), encoding: 'utf8', timeout: 60_000 });
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^(\S+ )?line 0\n$/);
      expect(r.stderr).toBe('');
    }
    // the same through bash's pipefail: ocikit's own status is 0
    const r = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${BIN}" logs lg-many | head -1`], { env: env(), encoding: 'utf8', timeout: 60_000 });
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: 'line 0\n', stderr: '' });
  });

  test('--until takes an RFC 3339 time, a Unix time or a duration before now, as --since does', () => {
    expect(ok(['logs', '--until', '2000-01-01T00:00:00Z', 'lg-both'])).toBe('');
    expect(ok(['logs', '--until', '2999-01-01T00:00:00Z', 'lg-both'])).toBe('out1\nout2\n');
    expect(ok(['logs', '--until', '1h', 'lg-both'])).toBe('');
    expect(ok(['logs', '--until', '1h30m', '--since', '0', 'lg-both'])).toBe('');
    expect(ok(['logs', '--since', '1h', '--until', String(Math.ceil(Date.now() / 1000) + 3600), 'lg-both'])).toBe('out1\nout2\n');
    const bad = ocikit(['logs', '--until', 'yesterday', 'lg-both']);
    expect(bad.code).toBe(125);
    expect(bad.stderr).toContain('invalid value for --until');
  });
});
