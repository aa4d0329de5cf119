import { PassThrough } from 'node:stream';
import type { CliIo } from '../../../lib/cli/command.js';
import { main } from '../../../lib/cli/main.js';
import { handlers, setContainerHandler } from '../../../lib/cli/verbs/container-verbs.js';
import { runArgsFrom } from '../../../lib/cli/run-args.js';

function fakeIo(): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (t: string | Uint8Array) => ((out += String(t)), true) },
    stderr: { write: (t: string | Uint8Array) => ((err += String(t)), true) },
    stdin: new PassThrough(),
    env: {},
  };
  return { io, out: () => out, err: () => err };
}

describe('main', () => {
  afterEach(() => {
    delete handlers['run'];
  });

  it('prints the root help with no arguments and for --help', async () => {
    for (const argv of [[], ['--help'], ['-h']]) {
      const f = fakeIo();
      expect(await main(argv, f.io)).toBe(0);
      expect(f.out()).toContain('Usage:  ocikit [OPTIONS] COMMAND');
      expect(f.out()).toContain('  volume ');
    }
  });

  it('prints a verb help for VERB --help and help VERB', async () => {
    for (const argv of [['run', '--help'], ['help', 'run'], ['volume', 'create', '--help']]) {
      const f = fakeIo();
      expect(await main(argv, f.io)).toBe(0);
      expect(f.out()).toMatch(/^Usage: {2}ocikit (run|volume create) /);
    }
  });

  it('exits 125 with Docker wording on an unknown flag', async () => {
    const f = fakeIo();
    expect(await main(['images', '--x'], f.io)).toBe(125);
    expect(f.err()).toBe("unknown flag: --x\nSee 'ocikit images --help'.\n");
  });

  it('exits 125 and prints usage on a wrong argument count', async () => {
    const f = fakeIo();
    expect(await main(['tag', 'one'], f.io)).toBe(125);
    expect(f.err()).toContain('"ocikit tag" requires exactly 2 arguments.\nSee \'ocikit tag --help\'.\n\nUsage:  ocikit tag ');
  });

  it('exits 125 for an unknown verb', async () => {
    const f = fakeIo();
    expect(await main(['frobnicate'], f.io)).toBe(125);
    expect(f.err()).toContain("'frobnicate' is not an ocikit command.");
  });

  it('says honestly when a container verb has no handler', async () => {
    const registered = handlers['ps'];
    delete handlers['ps'];
    try {
      const f = fakeIo();
      expect(await main(['ps', '-a'], f.io)).toBe(125);
      expect(f.err()).toBe('ocikit: ps is not available in this build\n');
    } finally {
      if (registered !== undefined) handlers['ps'] = registered;
    }
  });

  it('runs a registered container handler and returns its exit code', async () => {
    let seen: unknown;
    setContainerHandler('run', async (args, io) => {
      seen = runArgsFrom(args, io.env, '/');
      return 3;
    });
    const f = fakeIo();
    expect(await main(['run', '--rm', 'busybox', 'false'], f.io)).toBe(3);
    expect(seen).toMatchObject({ image: 'busybox', command: ['false'], options: { rm: true, cmd: ['false'] } });
  });

  it('reports library errors as Error: … with 125', async () => {
    setContainerHandler('run', async () => {
      throw new Error('boom');
    });
    const f = fakeIo();
    expect(await main(['run', 'x'], f.io)).toBe(125);
    expect(f.err()).toBe('Error: boom\n');
  });

  it('prints the version', async () => {
    const f = fakeIo();
    expect(await main(['--version'], f.io)).toBe(0);
    expect(f.out()).toMatch(/^ocikit version \d+\.\d+\.\d+/);
  });
});

describe('management commands', () => {
  it('volume and volume --help list the sub-verbs', async () => {
    for (const argv of [['volume'], ['volume', '--help']]) {
      const f = fakeIo();
      expect(await main(argv, f.io)).toBe(0);
      expect(f.out()).toContain('Commands:\n  create    Create a volume\n  ls ');
    }
  });
});
