import { ContainerError } from '../../../lib/errors.js';
import { buildSpec, type BuildSpecInput } from '../../../lib/container/spec-builder.js';
import { signalName } from '../../../lib/container/signals.js';
import { CONFIG_LIMITS, type ImageConfig } from '../../../lib/oci/index.js';

const ID = 'abcdef0123456789'.repeat(4);

function input(config: ImageConfig['config'], options: BuildSpecInput['options'] = {}): BuildSpecInput {
  return {
    id: ID,
    imageConfig: { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, config: { Cmd: ['/bin/sh'], ...config } },
    options,
    rootfsPath: '/nonexistent',
    resolvedUser: { uid: 0, gid: 0, additionalGids: [] },
    mounts: [],
    callerLimits: [],
    callerEnv: {},
    hostHostname: 'host',
    lastCap: 40,
  };
}

describe('signal names', () => {
  it('accepts names and numbers as docker kill does', () => {
    expect(signalName('TERM')).toBe('SIGTERM');
    expect(signalName('sigusr1')).toBe('SIGUSR1');
    expect(signalName(9)).toBe('SIGKILL');
    expect(signalName('15')).toBe('SIGTERM');
  });

  it.each(['SIGBOGUS', 999, -1, 0, '', 'constructor', 1.5])('refuses %p with ERR_INVALID_SIGNAL', (s) => {
    expect(() => signalName(s)).toThrow(ContainerError);
    expect(() => signalName(s)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_SIGNAL', message: expect.stringMatching(/^invalid signal /) }));
  });
});

describe('create-time checks of the merged process', () => {
  it('refuses an unknown stop signal from the image or the options at create', () => {
    expect(() => buildSpec(input({ StopSignal: 'SIGBOGUS' }))).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_SIGNAL', message: 'invalid stop signal "SIGBOGUS" (the image\'s StopSignal): not a signal name or number of this host' }),
    );
    expect(() => buildSpec(input({}, { stopSignal: 'NOPE' }))).toThrow(expect.objectContaining({ code: 'ERR_INVALID_SIGNAL', message: expect.stringContaining('the stopSignal option') }));
    expect(buildSpec(input({ StopSignal: 'SIGQUIT' })).stopSignal).toBe('SIGQUIT');
    expect(buildSpec(input({ StopSignal: '9' })).stopSignal).toBe('9');
  });

  it('refuses a NUL byte in an environment variable, naming it', () => {
    const opt = (): unknown => buildSpec(input({}, { env: { GOOD: 'x', BAD: 'a\0b' } }));
    expect(opt).toThrow(ContainerError);
    expect(opt).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ENV', message: 'invalid environment variable "BAD": it contains a NUL byte' }));
    expect(() => buildSpec(input({ Env: ['IMG=\0'] }))).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ENV', message: expect.stringContaining('"IMG"') }));
    expect(() => buildSpec(input({}, { cmd: ['echo', 'a\0'] }))).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGS' }));
  });

  it('refuses options over the entry caps, naming the option', () => {
    const env = Array.from({ length: CONFIG_LIMITS.envEntries + 1 }, (_, i) => `K${i}=v`);
    expect(() => buildSpec(input({}, { env }))).toThrow(
      expect.objectContaining({ code: 'ERR_OPTIONS_TOO_LARGE', message: `container options: env has ${env.length} entries, over the limit of ${CONFIG_LIMITS.envEntries}` }),
    );
    const mounts = Array.from({ length: CONFIG_LIMITS.mountEntries + 1 }, (_, i) => ({ type: 'tmpfs' as const, target: `/t${i}` }));
    expect(() => buildSpec(input({}, { mounts }))).toThrow(expect.objectContaining({ code: 'ERR_OPTIONS_TOO_LARGE', message: expect.stringContaining('mounts has') }));
    // image and options each under the cap, merged over it
    const half = Array.from({ length: CONFIG_LIMITS.envEntries / 2 + 1 }, (_, i) => `A${i}=v`);
    const other = half.map((e) => `B${e}`);
    expect(() => buildSpec(input({ Env: half }, { env: other }))).toThrow(expect.objectContaining({ code: 'ERR_OPTIONS_TOO_LARGE', message: expect.stringContaining('container environment has') }));
  });
});
