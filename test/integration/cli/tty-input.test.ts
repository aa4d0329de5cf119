// `-it` with stdin a pipe: Docker refuses at once ("the input device is not a TTY", exit 1)
// instead of attaching a terminal to a pipe and hanging.
import { type CliSandbox, BUSYBOX, cliSandbox } from '../../helpers/cli-child.js';

const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;

asRoot('ocikit run/exec -it with stdin not a terminal', () => {
  let sb: CliSandbox;
  beforeAll(() => {
    sb = cliSandbox('tty-input');
  });
  afterAll(() => sb.cleanup());

  test('run -it refuses before creating anything; -t or -i alone still run', () => {
    const r = sb.run(['run', '-it', '--rm', BUSYBOX, 'sh'], { input: 'x\n', timeout: 15_000 });
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'the input device is not a TTY\n' });
    expect(sb.run(['run', '-i', '-t', '--name', 'tty-kept', BUSYBOX, 'sh'], { input: 'x\n', timeout: 15_000 }).code).toBe(1);
    expect(sb.ok(['ps', '-a', '-q'])).toBe('');
    expect(sb.ok(['run', '-i', '--rm', BUSYBOX, 'cat'], 'piped\n')).toBe('piped\n');
    expect(sb.run(['run', '-t', '--rm', BUSYBOX, 'echo', 'tty'], { input: 'x\n', timeout: 15_000 })).toMatchObject({ code: 0, stdout: 'tty\r\n' });
  });

  test('exec -it refuses the same way; the container is untouched', () => {
    const id = sb.ok(['run', '-d', BUSYBOX, 'sleep', '100']).trim();
    try {
      const r = sb.run(['exec', '-it', id, 'sh'], { input: 'x\n', timeout: 15_000 });
      expect(r).toEqual({ code: 1, stdout: '', stderr: 'the input device is not a TTY\n' });
      expect(sb.ok(['exec', '-i', id, 'cat'], 'ok\n')).toBe('ok\n');
    } finally {
      sb.run(['rm', '-f', id]);
    }
  });
});
