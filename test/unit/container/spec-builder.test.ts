import { DEFAULT_CAPABILITIES, DEFAULT_MASKED_PATHS, type ImageConfig } from '../../../lib/oci/index.js';
import { buildSpec, type BuildSpecInput } from '../../../lib/container/spec-builder.js';
import { ALL_CAPABILITIES } from '../../../lib/container/capabilities.js';
import type { ResolvedMount } from '../../../lib/container/mounts.js';
import { parseProcLimits } from '../../../lib/container/rlimits.js';

const ID = 'abcdef0123456789'.repeat(4);
const IMAGE: ImageConfig = {
  architecture: 'amd64',
  os: 'linux',
  rootfs: { type: 'layers', diff_ids: [] },
  config: {
    Entrypoint: ['/docker-entrypoint.sh'],
    Cmd: ['serve'],
    Env: ['APP=1'],
    WorkingDir: '/srv',
    Labels: { maintainer: 'img' },
    Volumes: { '/var/lib/data': {}, '/cache/': {} },
    StopSignal: 'SIGQUIT',
  },
};
const LIMITS = parseProcLimits(
  'Limit Soft Limit Hard Limit Units\n' +
    'Max open files            1024                 20000                files     \n' +
    'Max core file size        0                    unlimited            bytes     \n' +
    'Max cpu time              unlimited            unlimited            seconds   \n',
);
const VOLS: ResolvedMount[] = [
  { option: { type: 'volume', target: '/var/lib/data' }, hostPath: '/vols/a/_data', anonymous: true },
  { option: { type: 'volume', target: '/cache' }, hostPath: '/vols/b/_data', anonymous: true },
];

function input(over: Partial<BuildSpecInput> = {}): BuildSpecInput {
  return {
    id: ID,
    imageConfig: IMAGE,
    options: {},
    rootfsPath: '/root/ctr/rootfs',
    resolvedUser: { uid: 1000, gid: 1000, additionalGids: [10] },
    mounts: VOLS,
    callerLimits: LIMITS,
    callerEnv: {},
    hostHostname: 'the-host',
    ...over,
  };
}

describe('buildSpec', () => {
  it("produces Docker's defaults for a plain run", () => {
    const { spec, labels, stopSignal, hostname, anonymousVolumes } = buildSpec(input());
    expect(spec.process?.args).toEqual(['/docker-entrypoint.sh', 'serve']);
    expect(spec.process?.cwd).toBe('/srv');
    expect(spec.process?.env).toEqual([expect.stringMatching(/^PATH=/), `HOSTNAME=${ID.slice(0, 12)}`, 'APP=1']);
    expect(spec.process?.user).toEqual({ uid: 1000, gid: 1000, additionalGids: [10] });
    expect(spec.process?.terminal).toBe(false);
    expect(spec.process?.noNewPrivileges).toBe(true);
    expect(spec.process?.capabilities?.bounding).toEqual([...DEFAULT_CAPABILITIES]);
    expect(spec.process?.capabilities?.inheritable).toEqual([]);
    expect(spec.process?.capabilities?.ambient).toEqual([]);
    expect(spec.hostname).toBe(ID.slice(0, 12));
    expect(hostname).toBe(ID.slice(0, 12));
    expect(spec.root).toEqual({ path: '/root/ctr/rootfs', readonly: false });
    expect(spec.linux?.namespaces?.map((n) => n.type).sort()).toEqual(['cgroup', 'ipc', 'mount', 'network', 'pid', 'uts']);
    expect(spec.linux?.cgroupsPath).toBe(`ocikit/${ID}`);
    expect(spec.linux?.maskedPaths).toEqual([...DEFAULT_MASKED_PATHS]);
    expect(spec.linux?.readonlyPaths).toContain('/proc/sys');
    expect(spec.linux?.devices?.map((d) => d.path)).toContain('/dev/null');
    expect(spec.annotations).toMatchObject({ 'org.opencontainers.image.stopSignal': 'SIGQUIT', 'io.ocikit.container.id': ID });
    expect(labels).toEqual({ maintainer: 'img' });
    expect(stopSignal).toBe('SIGQUIT');
    expect(anonymousVolumes).toEqual(['/var/lib/data', '/cache']);
    const dests = spec.mounts?.map((m) => m.destination);
    expect(dests?.slice(0, 7)).toEqual(['/proc', '/dev', '/dev/pts', '/sys', '/sys/fs/cgroup', '/dev/mqueue', '/dev/shm']);
    expect(dests).toEqual(expect.arrayContaining(['/cache', '/var/lib/data']));
    expect(spec.mounts?.find((m) => m.destination === '/cache')).toEqual({
      destination: '/cache', type: 'bind', source: '/vols/b/_data', options: ['rbind', 'rw', 'rprivate'],
    });
  });

  it('sorts user mounts parent first and binds the etc files', () => {
    const mounts: ResolvedMount[] = [
      ...VOLS,
      { option: { type: 'bind', source: '/host/deep', target: '/a/b/c', readonly: true } },
      { option: { type: 'bind', source: '/host/top', target: '/a', propagation: 'rslave' } },
      { option: { type: 'tmpfs', target: '/run', size: 65536, mode: 0o755 } },
      { option: { type: 'volume', source: 'named', target: '/data', readonly: true }, hostPath: '/vols/named/_data' },
    ];
    const files = { hosts: '/c/hosts', hostname: '/c/hostname', resolvConf: '/c/resolv.conf' };
    const { spec } = buildSpec(input({ mounts, etcFiles: files, options: { mounts: mounts.slice(2).map((m) => m.option) } }));
    const dests = spec.mounts?.map((m) => m.destination) ?? [];
    expect(dests.indexOf('/a')).toBeLessThan(dests.indexOf('/a/b/c'));
    expect(dests).toEqual(expect.arrayContaining(['/etc/hosts', '/etc/hostname', '/etc/resolv.conf']));
    const byDest = (d: string) => spec.mounts?.find((m) => m.destination === d);
    expect(byDest('/a/b/c')?.options).toEqual(['rbind', 'ro', 'rprivate']);
    expect(byDest('/a')?.options).toEqual(['rbind', 'rw', 'rslave']);
    expect(byDest('/run')).toEqual({ destination: '/run', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'noexec', 'size=65536', 'mode=755'] });
    expect(byDest('/data')).toMatchObject({ source: '/vols/named/_data', options: ['rbind', 'ro', 'rprivate'] });
    expect(spec.linux?.rootfsPropagation).toBe('rslave');
  });

  it('lets user mounts replace default ones (and /dev replace all under it)', () => {
    const mounts: ResolvedMount[] = [...VOLS, { option: { type: 'tmpfs', target: '/dev' } }];
    const { spec } = buildSpec(input({ mounts, options: { mounts: [mounts[2]!.option] } }));
    const dests = spec.mounts?.map((m) => m.destination) ?? [];
    expect(dests.filter((d) => d === '/dev')).toHaveLength(1);
    expect(dests.some((d) => d.startsWith('/dev/'))).toBe(false);
  });

  it('lets a user mount cover an image volume, and refuses unresolved or duplicate mounts', () => {
    const opts = { mounts: [{ type: 'bind' as const, source: '/h', target: '/cache' }] };
    const mounts: ResolvedMount[] = [VOLS[0]!, { option: opts.mounts[0]! }];
    expect(buildSpec(input({ options: opts, mounts })).anonymousVolumes).toEqual(['/var/lib/data']);
    expect(() => buildSpec(input({ mounts: [VOLS[0]!] }))).toThrow(expect.objectContaining({ code: 'ERR_VOLUME_UNRESOLVED' }));
    expect(() => buildSpec(input({ mounts: [...VOLS, VOLS[0]!] }))).toThrow(expect.objectContaining({ code: 'ERR_DUPLICATE_MOUNT' }));
    const rel = [...VOLS, { option: { type: 'tmpfs' as const, target: 'relative' } }];
    expect(() => buildSpec(input({ mounts: rel }))).toThrow(expect.objectContaining({ code: 'ERR_INVALID_MOUNT' }));
    const noSrc = [...VOLS, { option: { type: 'volume' as const, target: '/x' } }];
    expect(() => buildSpec(input({ mounts: noSrc }))).toThrow(expect.objectContaining({ code: 'ERR_INVALID_MOUNT' }));
  });

  it('applies cap-add / cap-drop / ALL / privileged', () => {
    const caps = (options: BuildSpecInput['options'], lastCap?: number) =>
      buildSpec(input({ options, hostBounding: ALL_CAPABILITIES, ...(lastCap === undefined ? {} : { lastCap }) })).spec.process?.capabilities?.bounding ?? [];
    expect(caps({ capAdd: ['sys_admin'], capDrop: ['CAP_CHOWN', 'net_raw'] })).toEqual([
      ...DEFAULT_CAPABILITIES.filter((c) => c !== 'CAP_CHOWN' && c !== 'CAP_NET_RAW'), 'CAP_SYS_ADMIN',
    ]);
    expect(caps({ capDrop: ['ALL'], capAdd: ['NET_BIND_SERVICE'] })).toEqual(['CAP_NET_BIND_SERVICE']);
    expect(caps({ capAdd: ['ALL'], capDrop: ['SYS_ADMIN'] })).toHaveLength(40);
    expect(caps({ privileged: true }, 37)).toHaveLength(38);
    expect(() => caps({ capAdd: ['CAP_FLY'] })).toThrow(expect.objectContaining({ code: 'ERR_UNKNOWN_CAPABILITY' }));
  });

  it('grants only what the host bounding set holds; a named capability outside it is refused', () => {
    const hostBounding = ALL_CAPABILITIES.filter((c) => c !== 'CAP_SYS_RESOURCE' && c !== 'CAP_NET_RAW');
    const caps = (options: BuildSpecInput['options']) => buildSpec(input({ options, hostBounding })).spec.process?.capabilities?.bounding ?? [];
    expect(caps({ privileged: true })).toEqual(hostBounding);
    expect(caps({ capAdd: ['ALL'] })).toEqual(hostBounding);
    expect(caps({})).toEqual(DEFAULT_CAPABILITIES.filter((c) => c !== 'CAP_NET_RAW'));
    expect(() => caps({ capAdd: ['sys_resource'] })).toThrow(
      expect.objectContaining({ code: 'ERR_CAPABILITY_UNAVAILABLE', message: expect.stringContaining('cannot add capability CAP_SYS_RESOURCE: not in the host') }),
    );
    expect(() => caps({ capAdd: ['SYS_ADMIN', 'NET_RAW', 'SYS_RESOURCE'] })).toThrow('cannot add capabilities CAP_NET_RAW, CAP_SYS_RESOURCE:');
  });

  it('privileged: no masked or read-only paths, writable /sys, all devices, new privileges allowed', () => {
    const { spec } = buildSpec(input({ options: { privileged: true } }));
    expect(spec.linux?.maskedPaths).toEqual([]);
    expect(spec.linux?.readonlyPaths).toEqual([]);
    expect(spec.linux?.seccomp).toBeUndefined();
    expect(spec.mounts?.find((m) => m.destination === '/sys')?.options).not.toContain('ro');
    expect(spec.linux?.resources?.devices).toEqual([{ allow: true, access: 'rwm' }]);
    expect(spec.process?.noNewPrivileges).toBe(false);
  });

  it('host network: no network or uts namespace, host name, no hostname option', () => {
    const { spec, hostname } = buildSpec(input({ options: { network: 'host' } }));
    expect(spec.linux?.namespaces?.map((n) => n.type)).not.toContain('network');
    expect(spec.linux?.namespaces?.map((n) => n.type)).not.toContain('uts');
    expect(spec.hostname).toBeUndefined();
    expect(hostname).toBe('the-host');
    expect(spec.process?.env).toContain('HOSTNAME=the-host');
    expect(() => buildSpec(input({ options: { network: 'host', hostname: 'x' } }))).toThrow(expect.objectContaining({ code: 'ERR_CONFLICTING_OPTIONS' }));
  });

  it('hostname, tty, read-only rootfs, user and name', () => {
    const { spec } = buildSpec(input({ name: 'web', options: { hostname: 'web-1', tty: true, readonlyRootfs: true } }));
    expect(spec.hostname).toBe('web-1');
    expect(spec.process?.terminal).toBe(true);
    expect(spec.process?.env).toEqual(expect.arrayContaining(['HOSTNAME=web-1', 'TERM=xterm']));
    expect(spec.root?.readonly).toBe(true);
    expect(spec.annotations?.['io.ocikit.container.name']).toBe('web');
    expect(() => buildSpec(input({ options: { hostname: 'bad host' } }))).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    expect(buildSpec(input({ rootfsReadonly: true })).spec.root?.readonly).toBe(true);
  });

  it('resources: memory and swap, cpus, shares, pids', () => {
    const res = (options: BuildSpecInput['options']) => buildSpec(input({ options })).spec.linux?.resources;
    expect(res({ memory: 256 * 2 ** 20 })?.memory).toEqual({ limit: 256 * 2 ** 20, swap: 512 * 2 ** 20 });
    expect(res({ memory: 64 * 2 ** 20, memorySwap: -1 })?.memory).toEqual({ limit: 64 * 2 ** 20, swap: -1 });
    expect(res({ memory: 64 * 2 ** 20, memorySwap: 64 * 2 ** 20 })?.memory?.swap).toBe(64 * 2 ** 20);
    expect(res({ cpus: 1.5, cpuShares: 512 })?.cpu).toEqual({ quota: 150000, period: 100000, shares: 512 });
    expect(res({ pidsLimit: 100 })?.pids).toEqual({ limit: 100 });
    expect(res({ pidsLimit: -1 })?.pids).toBeUndefined();
    expect(res({})?.memory).toBeUndefined();
    expect(res({})?.devices?.[0]).toEqual({ allow: false, access: 'rwm' });
    for (const bad of [{ memory: 1024 }, { memory: 64 * 2 ** 20, memorySwap: 2 ** 20 }, { memorySwap: 2 ** 30 }, { cpus: 0 }, { pidsLimit: -5 }]) {
      expect(() => res(bad)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    }
  });

  it("rlimits default to the caller's and never exceed its hard limit", () => {
    const rl = (ulimits?: { name: string; soft: number; hard: number }[]) =>
      buildSpec(input({ options: ulimits === undefined ? {} : { ulimits } })).spec.process?.rlimits;
    expect(rl()).toEqual([
      { type: 'RLIMIT_NOFILE', soft: 1024, hard: 20000 },
      { type: 'RLIMIT_CORE', soft: 0, hard: Number.MAX_SAFE_INTEGER },
    ]);
    expect(rl([{ name: 'nofile', soft: 4096, hard: 8192 }])?.[0]).toEqual({ type: 'RLIMIT_NOFILE', soft: 4096, hard: 8192 });
    expect(rl([{ name: 'core', soft: -1, hard: -1 }])?.[1]).toEqual({ type: 'RLIMIT_CORE', soft: Number.MAX_SAFE_INTEGER, hard: Number.MAX_SAFE_INTEGER });
    for (const bad of [[{ name: 'nofile', soft: 1, hard: 1048576 }], [{ name: 'nofile', soft: 10, hard: 5 }], [{ name: 'bogus', soft: 1, hard: 1 }]]) {
      expect(() => rl(bad)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ULIMIT' }));
    }
  });

  it('reads the real /proc/self/limits when the caller gives none', () => {
    const { spec } = buildSpec({ ...input(), callerLimits: undefined } as unknown as BuildSpecInput);
    const nofile = spec.process?.rlimits?.find((r) => r.type === 'RLIMIT_NOFILE');
    expect(nofile?.hard).toBeGreaterThan(0);
  });

  it('returns the merged config recorded in the state', () => {
    const { merged } = buildSpec(input({ options: { user: 'app', stopTimeout: 3, interactive: true, env: { B: '2' } } }));
    expect(merged).toEqual({
      args: ['/docker-entrypoint.sh', 'serve'],
      env: [expect.stringMatching(/^PATH=/), `HOSTNAME=${ID.slice(0, 12)}`, 'APP=1', 'B=2'],
      workdir: '/srv',
      user: 'app',
      hostname: ID.slice(0, 12),
      labels: { maintainer: 'img' },
      stopSignal: 'SIGQUIT',
      stopTimeout: 3,
      tty: false,
      openStdin: true,
    });
    expect(buildSpec(input()).merged.stopTimeout).toBe(10);
  });

  it('reports a missing command', () => {
    const image: ImageConfig = { ...IMAGE, config: { Volumes: {} } };
    expect(() => buildSpec(input({ imageConfig: image, mounts: [] }))).toThrow(expect.objectContaining({ code: 'ERR_NO_COMMAND' }));
  });
});
