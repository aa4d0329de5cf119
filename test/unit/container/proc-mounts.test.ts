import { ContainerError } from '../../../lib/errors.js';
import { userRuntimeMounts } from '../../../lib/container/mounts.js';
import { checkProcMount } from '../../../lib/container/proc-mounts.js';

describe('mounts onto /proc, as runc refuses them', () => {
  test.each([
    ['/proc', 'bind', '/tmp'],
    ['/proc', 'tmpfs', undefined],
    ['/proc', 'volume', undefined],
    ['/proc/sys', 'bind', '/tmp'],
    ['/proc/self/fd', 'tmpfs', undefined],
    ['/proc/1', 'bind', '/proc/1'],
  ] as const)('%s (%s from %s) is ERR_INVALID_MOUNT', (dest, type, source) => {
    expect(() => checkProcMount(dest, type, source)).toThrow(ContainerError);
    expect(() => checkProcMount(dest, type, source)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_MOUNT', message: expect.stringContaining(dest) }));
  });

  test('through the spec builder, after the target is cleaned', () => {
    expect(() => userRuntimeMounts([{ option: { type: 'bind', source: '/tmp', target: '/x/../proc//' }, hostPath: '/tmp' }])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_MOUNT' }));
  });

  test('allowed: a procfs root onto /proc, LXCFS-style files, paths that only look alike', () => {
    expect(() => checkProcMount('/proc', 'bind', '/proc')).not.toThrow();
    expect(() => checkProcMount('/proc/meminfo', 'bind', '/tmp')).not.toThrow();
    expect(() => checkProcMount('/proc/sys/kernel/ns_last_pid', 'bind', '/tmp')).not.toThrow();
    expect(() => checkProcMount('/processes', 'tmpfs', undefined)).not.toThrow();
    expect(() => checkProcMount('/srv/proc', 'bind', '/tmp')).not.toThrow();
  });
});
