// `ocikit rmi` refuses an image a container uses unless -f; with -f the container keeps working (issue 10, item 6).
import { cliSandbox, BUSYBOX, type CliResult, type CliSandbox } from '../../helpers/cli-child.js';

const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;

asRoot('ocikit rmi of an image in use (child process)', () => {
  let box: CliSandbox;
  const ocikit = (args: string[]): CliResult => box.run(args);
  const ok = (args: string[]): string => box.ok(args);

  beforeAll(() => {
    box = cliSandbox('cli-rmi');
  });
  afterAll(() => box.cleanup());

  test('rmi refuses, naming the container; rmi -f untags and a later commit still works', () => {
    const id = ok(['create', '--name', 'rmi-user', BUSYBOX, 'sh', '-c', 'echo hi > /f']).trim();
    const refused = ocikit(['rmi', BUSYBOX]);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(`conflict: unable to remove repository reference "${BUSYBOX}" (must force) - container`);
    expect(refused.stderr).toContain(id.slice(0, 12));
    expect(ok(['images', '-q'])).not.toBe('');

    const forced = ok(['rmi', '-f', BUSYBOX]);
    expect(forced).toBe(`Untagged: ${BUSYBOX}\n`); // not deleted: the container needs it
    ok(['start', '-a', 'rmi-user']);
    expect(ok(['commit', 'rmi-user', 'rmiuse/committed:1'])).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    expect(ok(['run', '--rm', 'rmiuse/committed:1', 'cat', '/f'])).toBe('hi\n');
  });
});
