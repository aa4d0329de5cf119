// Docker's spellings a new user types: management forms, flag aliases, and help that lists -h once.
import { renderVerbHelp } from '../../../lib/cli/help.js';
import { main } from '../../../lib/cli/main.js';
import { parseArgs } from '../../../lib/cli/parser.js';
import { parseRunArgs } from '../../../lib/cli/run-args.js';
import { ALL_COMMANDS, COMMAND_GROUPS, findCommand } from '../../../lib/cli/verbs/index.js';
import type { CliIo } from '../../../lib/cli/command.js';
import { Readable } from 'node:stream';

const spec = (name: string) => {
  const c = ALL_COMMANDS.find((x) => x.spec.name === name);
  if (c === undefined) throw new Error(`no ${name}`);
  return c.spec;
};

function capture(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (c: string | Uint8Array) => (out += String(c)) },
    stderr: { write: (c: string | Uint8Array) => (err += String(c)) },
    stdin: Readable.from([]),
    env: {},
    out: () => out,
    err: () => err,
  };
}

describe('management forms of every container and image verb', () => {
  it.each([
    [['container', 'ps', '-a'], 'ps', ['-a']],
    [['container', 'inspect', 'x'], 'inspect', ['--type', 'container', 'x']],
    [['image', 'inspect', 'x'], 'inspect', ['--type', 'image', 'x']],
    [['container', 'rm', '-f', 'x'], 'rm', ['-f', 'x']],
    [['container', 'top', 'x'], 'top', ['x']],
    [['image', 'ls'], 'images', []],
    [['image', 'history', 'x'], 'history', ['x']],
  ])('%j runs %s with %j', (argv, verb, args) => {
    expect(findCommand(argv)).toMatchObject({ command: { spec: { name: verb } }, args });
  });

  it('`ocikit container` and `ocikit image` list their sub-verbs and are in the root help', async () => {
    const io = capture();
    expect(await main(['container'], io)).toBe(0);
    expect(io.out()).toMatch(/^Usage: {2}ocikit container COMMAND\n\nManage containers\n/);
    expect(io.out()).toMatch(/\n {2}inspect +Display detailed information/);
    expect(io.out()).toMatch(/\n {2}ls +List containers\n/);
    const img = capture();
    expect(await main(['image', '--help'], img)).toBe(0);
    expect(img.out()).toMatch(/\n {2}rm +Remove one or more images/);
    const managed = COMMAND_GROUPS.find((g) => g.title === 'Management Commands')?.verbs.map((v) => v.name);
    expect(managed).toEqual(expect.arrayContaining(['container', 'image', 'system', 'volume']));
  });
});

describe('flag aliases', () => {
  it('--net is --network', () => {
    expect(parseRunArgs(['--net', 'host', 'img']).options.network).toBe('host');
    expect(parseRunArgs(['--net=none', 'img']).options.network).toBe('none');
  });

  it.each(['stop', 'restart'])('%s takes -t, --time and --timeout', (verb) => {
    for (const argv of [['-t', '3', 'c'], ['--time', '3', 'c'], ['--timeout', '3', 'c'], ['--timeout=3', 'c']]) {
      expect(parseArgs(spec(verb), argv).flags).toEqual({ time: 3 });
    }
  });
});

describe('help', () => {
  it('run --help lists -h once (it is --hostname there)', () => {
    const text = renderVerbHelp(spec('run'));
    expect(text.match(/-h, /g)).toHaveLength(1);
    expect(text).toMatch(/\n {2}-h, --hostname string +Container host name\n/);
    expect(text).toMatch(/\n {6}--help +Print usage\n/);
    expect(renderVerbHelp(spec('ps'))).toMatch(/\n {2}-h, --help +Print usage\n/);
  });
});
