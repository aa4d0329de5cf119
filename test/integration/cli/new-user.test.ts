// CLI defects a new user hits: one wording for a missing container in every verb and never
// "Error response from daemon", --cpus beyond the host refused as Docker does, -v creating a
// missing host directory, stop --timeout.
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { type CliSandbox, BUSYBOX, cliSandbox } from '../../helpers/cli-child.js';

const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;

asRoot('ocikit as a new user meets it', () => {
  let sb: CliSandbox;
  beforeAll(() => {
    sb = cliSandbox('new-user');
  });
  afterAll(() => sb.cleanup());

  test('a missing container: the same message from every verb, no daemon in it', () => {
    for (const argv of [['stop', 'nope'], ['rm', 'nope'], ['logs', 'nope'], ['exec', 'nope', 'true'], ['diff', 'nope'], ['kill', 'nope'], ['wait', 'nope']]) {
      const r = sb.run(argv);
      expect([argv, r.stderr]).toEqual([argv, 'Error: no such container: nope\n']);
      expect(r.code).not.toBe(0);
    }
    const failed = sb.run(['run', '--rm', BUSYBOX, 'no-such-command']);
    expect(failed.code).toBe(127);
    expect(failed.stderr).toBe('ocikit: Error: exec: "no-such-command": executable file not found in $PATH\n');
  });

  test('--cpus above the host CPU count is refused with Docker\'s range message', () => {
    const n = availableParallelism();
    const r = sb.run(['run', '--rm', '--cpus', String(n + 1), BUSYBOX, 'true']);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain(`range of CPUs is from 0.01 to ${n}.00, as there are only ${n} CPUs available`);
    expect(sb.run(['run', '--rm', '--cpus', String(n), BUSYBOX, 'true']).code).toBe(0);
  });

  test('-v with a missing host directory creates it; --mount still requires it', () => {
    const dir = join(sb.tmp, 'made', 'by', 'run');
    expect(sb.ok(['run', '--rm', '-v', `${dir}:/x`, BUSYBOX, 'sh', '-c', 'echo hi > /x/f; echo ok'])).toBe('ok\n');
    expect(statSync(dir).isDirectory()).toBe(true);
    expect(existsSync(join(dir, 'f'))).toBe(true);
    const other = join(sb.tmp, 'not-made');
    expect(sb.run(['run', '--rm', '--mount', `type=bind,source=${other},target=/x`, BUSYBOX, 'true']).code).toBe(125);
    expect(existsSync(other)).toBe(false);
  });

  test('stop --timeout works like -t', () => {
    const id = sb.ok(['run', '-d', BUSYBOX, 'sleep', '100']).trim();
    const t0 = Date.now();
    expect(sb.ok(['stop', '--timeout', '0', id])).toBe(`${id}\n`);
    expect(Date.now() - t0).toBeLessThan(8000);
    sb.ok(['rm', id]);
  });
});
