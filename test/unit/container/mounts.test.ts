import { baseMounts, cleanTarget, imageVolumeTargets, rootfsPropagation, userRuntimeMounts } from '../../../lib/container/mounts.js';
import type { MountPropagation } from '../../../lib/container/options.js';

describe('mount helpers', () => {
  it('cleans targets and refuses relative ones and /', () => {
    expect(cleanTarget('/a//b/../c/')).toBe('/a/c');
    expect(() => cleanTarget('a')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_MOUNT' }));
    expect(() => cleanTarget('/')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_MOUNT' }));
    expect(() => cleanTarget('/x/../')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_MOUNT' }));
  });

  it('lists image volumes not covered by a user mount, cleaned and once each', () => {
    const image = { Volumes: { '/data': {}, '/data/': {}, 'rel': {}, '/logs': {} } };
    expect(imageVolumeTargets(image, { mounts: [{ type: 'tmpfs', target: '/logs/' }] })).toEqual(['/data', '/rel']);
    expect(imageVolumeTargets({}, {})).toEqual([]);
  });

  it('sets rootfs propagation for shared and slave binds, and refuses unknown propagation', () => {
    const bind = (propagation: MountPropagation) => ({ option: { type: 'bind' as const, source: '/h', target: `/${propagation}`, propagation } });
    expect(rootfsPropagation(userRuntimeMounts([bind('rprivate')]))).toBeUndefined();
    expect(rootfsPropagation(userRuntimeMounts([bind('slave')]))).toBe('rslave');
    expect(rootfsPropagation(userRuntimeMounts([bind('rslave'), bind('shared')]))).toBe('rshared');
    expect(() => userRuntimeMounts([bind('bogus' as MountPropagation)])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_MOUNT' }));
    expect(() => userRuntimeMounts([{ option: { type: 'bind', source: 'rel', target: '/x' } }])).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_MOUNT' }),
    );
    expect(() => userRuntimeMounts([{ option: { type: 'tmpfs', target: '/t', size: -1 } }])).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_MOUNT' }),
    );
  });

  it('keeps default mounts the user does not replace', () => {
    expect(baseMounts(new Set(['/dev/shm']), false).map((m) => m.destination)).toEqual(['/proc', '/dev', '/dev/pts', '/sys', '/sys/fs/cgroup', '/dev/mqueue']);
    expect(baseMounts(new Set(), false).find((m) => m.destination === '/sys/fs/cgroup')?.options).toContain('ro');
    expect(baseMounts(new Set(), true).find((m) => m.destination === '/sys/fs/cgroup')?.options).not.toContain('ro');
  });
});
