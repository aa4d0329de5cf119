import { renderVerbHelp } from '../../../lib/cli/help.js';
import { ALL_COMMANDS, COMMAND_GROUPS, findCommand } from '../../../lib/cli/verbs/index.js';
import { CONTAINER_SPECS } from '../../../lib/cli/verbs/container-specs.js';

describe('help', () => {
  it.each(ALL_COMMANDS.map((c) => [c.spec.name, c] as const))('%s --help has usage, description and every flag', (name, command) => {
    const text = renderVerbHelp(command.spec);
    expect(text.startsWith(`Usage:  ocikit ${name} `)).toBe(true);
    expect(text).toContain(`\n${command.spec.description}\n`);
    expect(text).toContain(command.spec.flags.some((f) => f.short === 'h') ? '      --help   ' : '  -h, --help');
    for (const f of command.spec.flags) {
      expect(text).toMatch(new RegExp(`${f.short === undefined ? ' {6}' : `  -${f.short}, `}--${f.name}\\b`));
      expect(text).toContain(f.description);
    }
  });

  it('aligns the options table', () => {
    const pull = findCommand(['pull'])?.command.spec;
    expect(pull && renderVerbHelp(pull)).toBe(
      [
        'Usage:  ocikit pull [OPTIONS] NAME[:TAG|@DIGEST]',
        '',
        'Download an image from a registry',
        '',
        'Options:',
        '      --platform string   Set platform if the image is multi-platform',
        '  -q, --quiet             Suppress verbose output',
        '  -h, --help              Print usage',
        '',
      ].join('\n'),
    );
  });

  it('lists aliases of sub-verbs', () => {
    const ls = findCommand(['volume', 'ls'])?.command.spec;
    expect(ls && renderVerbHelp(ls)).toContain('Aliases:\n  ocikit volume ls, ocikit volume list\n');
  });

  it('every command and the volume group appear in the root help groups', () => {
    const listed = COMMAND_GROUPS.flatMap((g) => g.verbs.map((v) => v.name));
    for (const c of ALL_COMMANDS) if (!c.spec.name.includes(' ')) expect(listed).toContain(c.spec.name);
  });

  it('has no duplicate short or long flags within a verb', () => {
    for (const c of ALL_COMMANDS) {
      const longs = c.spec.flags.map((f) => f.name);
      const shorts = c.spec.flags.flatMap((f) => (f.short === undefined ? [] : [f.short]));
      expect(new Set(longs).size).toBe(longs.length);
      expect(new Set(shorts).size).toBe(shorts.length);
    }
  });

  it('defines the run flags the brief lists', () => {
    const run = CONTAINER_SPECS.find((s) => s.name === 'run');
    const names = run?.flags.map((f) => f.name) ?? [];
    for (const n of ['interactive', 'tty', 'detach', 'rm', 'env', 'volume', 'workdir', 'user', 'name', 'entrypoint', 'memory', 'memory-swap', 'cpus', 'cpu-shares', 'pids-limit', 'read-only', 'cap-add', 'cap-drop', 'network', 'hostname', 'label', 'tmpfs', 'mount', 'stop-signal', 'stop-timeout', 'privileged', 'attach']) {
      expect(names).toContain(n);
    }
  });
});

describe('findCommand', () => {
  it('prefers two-word sub-verbs and honours aliases', () => {
    expect(findCommand(['volume', 'list', '-q'])).toMatchObject({ command: { spec: { name: 'volume ls' } }, args: ['-q'] });
    expect(findCommand(['volume'])?.command.spec.name).toBe('volume');
    expect(findCommand(['images', '-a'])).toMatchObject({ command: { spec: { name: 'images' } }, args: ['-a'] });
    expect(findCommand(['nope'])).toBeUndefined();
  });
});

describe('management forms', () => {
  it.each([
    [['image', 'ls', '-q'], 'images'],
    [['image', 'rm', 'x'], 'rmi'],
    [['container', 'ls'], 'ps'],
    [['container', 'run', 'busybox'], 'run'],
    [['system', 'info'], 'info'],
  ])('%j runs %s', (argv, verb) => {
    const found = findCommand(argv);
    expect(found?.command.spec.name).toBe(verb);
    expect(found?.args).toEqual(argv.slice(2));
  });
});
