/**
 * `ocikit top CONTAINER [ps OPTIONS]` runs the host's `ps` with the options
 * and shows only the container's processes, as `docker top` does.
 */
import { spawnSync } from 'node:child_process';
import { BUSYBOX, cliSandbox, type CliSandbox } from '../../helpers/cli-child.js';

let box: CliSandbox;
const NAME = 'toptest-sleeper';

beforeAll(() => {
  box = cliSandbox('top');
  box.ok(['run', '-d', '--name', NAME, BUSYBOX, 'sh', '-c', 'sleep 301 & sleep 302; wait']);
  for (let i = 0; i < 50 && !box.ok(['top', NAME]).includes('sleep 302'); i++) spawnSync('sleep', ['0.05']);
}, 120_000);

afterAll(() => box.cleanup());

const lines = (out: string): string[] => out.split('\n').filter(Boolean);

describe('top with ps options', () => {
  test('-o pid,comm: those columns, the container processes only', () => {
    const out = lines(box.ok(['top', NAME, '-o', 'pid,comm']));
    expect(out[0]).toMatch(/^PID +COMMAND$/);
    const comms = out.slice(1).map((l) => l.trim().split(/\s+/)[1]).sort();
    expect(comms).toEqual(['sh', 'sleep', 'sleep']);
    expect(out.some((l) => /^1 /.test(l.trim()))).toBe(false); // the host's pid 1 is filtered out
  });

  test('aux (BSD options): USER … COMMAND, the command line kept whole', () => {
    const out = lines(box.ok(['top', NAME, 'aux']));
    expect(out[0]).toMatch(/^USER +PID +%CPU +%MEM +VSZ +RSS +TTY +STAT +START +TIME +COMMAND$/);
    expect(out).toHaveLength(4);
    expect(out.some((l) => l.endsWith(' sleep 301'))).toBe(true);
    expect(out.some((l) => l.endsWith(' sh -c sleep 301 & sleep 302; wait'))).toBe(true);
  });

  test('options that cannot be combined with -q (forest) still filter', () => {
    const out = lines(box.ok(['top', NAME, 'axf', '-o', 'pid,args']));
    expect(out[0]).toMatch(/^PID +COMMAND$/);
    expect(out).toHaveLength(4);
  });

  test('without options: ps -ef columns as before', () => {
    expect(lines(box.ok(['top', NAME]))[0]).toMatch(/^UID +PID +PPID +C +STIME +TTY +TIME +CMD$/);
  });

  test('no PID column, or options ps refuses: exit 125 naming the problem', () => {
    const noPid = box.run(['top', NAME, '-o', 'comm']);
    expect(noPid.code).toBe(125);
    expect(noPid.stderr).toBe("Error: couldn't find PID field in ps output\n");
    const bad = box.run(['top', NAME, '--bogus']);
    expect(bad.code).toBe(125);
    expect(bad.stderr).toMatch(/^Error: ps --bogus: .*unknown gnu long option/);
  });
});
