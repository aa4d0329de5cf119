// `ocikit create` + `start` is detached, and `restart` keeps it so (issue 10, item 5).
import { cliSandbox, BUSYBOX, type CliResult, type CliSandbox } from '../../helpers/cli-child.js';

const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;

asRoot('ocikit restart (child process)', () => {
  let box: CliSandbox;
  const ocikit = (args: string[], timeout = 60_000): CliResult & { ms: number } => {
    const t0 = Date.now();
    return { ...box.run(args, { timeout }), ms: Date.now() - t0 };
  };
  const ok = (args: string[]): string => box.ok(args);

  beforeAll(() => {
    box = cliSandbox('cli-restart');
  });
  afterAll(() => box.cleanup());

  test('create + start + restart returns at once and the container keeps running after the CLI exits', () => {
    ok(['create', '--name', 'rs-web', BUSYBOX, 'sleep', '60']);
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
    ok(['run', '-d', '--name', 'rs-d', BUSYBOX, 'sleep', '60']);
    expect(ocikit(['restart', '-t', '0', 'rs-d'], 15_000).code).toBe(0);
    expect(ok(['inspect', '-f', '{{.State.Running}}', 'rs-d'])).toBe('true\n');
    ok(['rm', '-f', 'rs-d']);
  });
});
