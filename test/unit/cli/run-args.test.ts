import type { ContainerOptions } from '../../../lib/container/options.js';
import { CliError } from '../../../lib/errors.js';
import { parseCopyOperand, parseRunArgs } from '../../../lib/cli/run-args.js';

const env = { HOME: '/root', FROM_HOST: 'yes' };
const cwd = '/work/dir';
const MiB = 2 ** 20;

const cases: [string, string[], ContainerOptions][] = [
  ['nothing', [], {}],
  ['-e K=V, -e K from the host, -e K missing on the host', ['-e', 'A=1', '-e', 'FROM_HOST', '-e', 'NOT_SET', '--env=B=x=y'], { env: ['A=1', 'FROM_HOST=yes', 'B=x=y'] }],
  ['-v bind with ro', ['-v', '/srv/data:/data:ro'], { mounts: [{ type: 'bind', source: '/srv/data', target: '/data', readonly: true }] }],
  ['-v relative bind, propagation', ['-v', './conf:/etc/conf:rw,rshared'], { mounts: [{ type: 'bind', source: '/work/dir/conf', target: '/etc/conf', readonly: false, propagation: 'rshared' }] }],
  ['-v named volume', ['-v', 'data:/var/lib/db'], { mounts: [{ type: 'volume', source: 'data', target: '/var/lib/db', readonly: false }] }],
  ['-v anonymous volume', ['--volume', '/cache'], { mounts: [{ type: 'volume', target: '/cache' }] }],
  ['--tmpfs with size and mode', ['--tmpfs', '/x:size=64m,mode=1777'], { mounts: [{ type: 'tmpfs', target: '/x', size: 64 * MiB, mode: 0o1777 }] }],
  ['--tmpfs bare', ['--tmpfs', '/run'], { mounts: [{ type: 'tmpfs', target: '/run' }] }],
  [
    '--mount bind readonly',
    ['--mount', 'type=bind,source=/a,target=/b,readonly'],
    { mounts: [{ type: 'bind', source: '/a', target: '/b', readonly: true }] },
  ],
  ['--mount volume default type', ['--mount', 'src=v1,dst=/v,ro=false'], { mounts: [{ type: 'volume', source: 'v1', target: '/v', readonly: false }] }],
  ['--mount tmpfs', ['--mount', 'type=tmpfs,destination=/t,tmpfs-size=1g,tmpfs-mode=700'], { mounts: [{ type: 'tmpfs', target: '/t', size: 2 ** 30, mode: 0o700 }] }],
  ['resources', ['--memory', '512m', '--memory-swap', '-1', '--cpus', '1.5', '--cpu-shares', '512', '--pids-limit', '100'], { memory: 512 * MiB, memorySwap: -1, cpus: 1.5, cpuShares: 512, pidsLimit: 100 }],
  ['-m short with swap size', ['-m1g', '--memory-swap=2g'], { memory: 2 ** 30, memorySwap: 2 ** 31 }],
  [
    'identity and process',
    ['-w', '/app', '-u', '1000:1000', '--name', 'web', '-h', 'box', '--entrypoint', '/bin/sh', '--stop-signal', 'SIGINT', '--stop-timeout', '3'],
    { workdir: '/app', user: '1000:1000', name: 'web', hostname: 'box', entrypoint: '/bin/sh', stopSignal: 'SIGINT', stopTimeout: 3 },
  ],
  ['--entrypoint "" clears it', ['--entrypoint', ''], { entrypoint: null }],
  ['flags', ['--rm', '--read-only', '--privileged', '-it'], { rm: true, readonlyRootfs: true, privileged: true, interactive: true, tty: true }],
  ['labels', ['-l', 'a=1', '--label', 'b'], { labels: { a: '1', b: '' } }],
  ['caps, hosts, ulimits, network', ['--cap-add', 'NET_ADMIN', '--cap-drop', 'ALL', '--add-host', 'db:10.0.0.2', '--ulimit', 'nofile=1024:2048', '--network', 'host'], {
    capAdd: ['NET_ADMIN'],
    capDrop: ['ALL'],
    extraHosts: ['db:10.0.0.2'],
    ulimits: [{ name: 'nofile', soft: 1024, hard: 2048 }],
    network: 'host',
  }],
];

describe('parseRunArgs', () => {
  it.each(cases)('%s', (_name, flags, options) => {
    const r = parseRunArgs([...flags, 'busybox'], env, cwd);
    expect(r.image).toBe('busybox');
    expect(r.command).toEqual([]);
    expect(r.options).toEqual(options);
  });

  it('splits image and command; flags after the image belong to the command', () => {
    const r = parseRunArgs(['-d', '-a', 'STDOUT', 'alpine:3', 'sh', '-c', 'echo -e hi', '--rm'], env, cwd);
    expect(r).toEqual({
      image: 'alpine:3',
      command: ['sh', '-c', 'echo -e hi', '--rm'],
      options: { cmd: ['sh', '-c', 'echo -e hi', '--rm'] },
      detach: true,
      interactive: false,
      tty: false,
      attach: ['stdout'],
      bindSources: [],
    });
  });

  it('reads create with the create spec (no -d)', () => {
    expect(() => parseRunArgs(['-d', 'x'], env, cwd, 'create')).toThrow("unknown shorthand flag: 'd' in -d");
  });

  it.each([
    [['-v', 'data'], 'must be absolute'],
    [['-v', '/a:/b:zz'], 'unsupported mode'],
    [['-v', 'vol:/b:shared'], 'bind mounts only'],
    [['--tmpfs', '/x:noexec'], 'unsupported option'],
    [['--tmpfs', 'rel'], 'must be absolute'],
    [['--mount', 'type=bind,target=/b'], 'needs a source'],
    [['--mount', 'type=nfs,target=/b'], 'unsupported mount type'],
    [['--mount', 'type=bind,src=/a,dst=/b,bogus=1'], 'unexpected key'],
    [['--mount', 'type=tmpfs,dst=/t,tmpfs-size=big'], 'bad size'],
    [['--network', 'bridge'], 'supports only'],
    [['--cpus', '0'], 'must be positive'],
    [['--pids-limit', '1.5'], 'whole number'],
    [['--memory-swap', 'lots'], '--memory-swap'],
    [['-a', 'stdfoo'], 'valid streams'],
    [['--ulimit', 'nofile'], 'name=soft'],
    [['-e', '=x'], 'name is empty'],
  ])('rejects %j', (flags, message) => {
    let caught: unknown;
    try {
      parseRunArgs([...flags, 'img'], env, cwd);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CliError);
    expect((caught as CliError).code).toBe('ERR_CLI_BAD_VALUE');
    expect((caught as CliError).message).toContain(message);
  });

  it('needs an image', () => {
    expect(() => parseRunArgs(['-it'], env, cwd)).toThrow('requires at least 1 argument');
  });
});

describe('parseCopyOperand', () => {
  it.each([
    ['web:/etc/hosts', { container: 'web', path: '/etc/hosts' }],
    ['abc123:relative', { container: 'abc123', path: 'relative' }],
    ['/tmp/a:b', { path: '/tmp/a:b' }],
    ['./x:y', { path: './x:y' }],
    ['-', { path: '-' }],
    ['plain', { path: 'plain' }],
  ])('%s', (text, expected) => {
    expect(parseCopyOperand(text)).toEqual(expected);
  });
});
