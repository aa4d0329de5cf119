// A Rust error keeps everything across the Node-API boundary (issue 11, item 5): errno, the step,
// the path and its own words, as a SyscallError with a stable code.
import { SyscallError } from '../../../lib/errors.js';
import { Cgroup } from '../../../lib/native/cgroup.js';
import { spawnContainer } from '../../../lib/native/runtime.js';
import type { RuntimeSpec } from '../../../lib/oci/runtime-spec.js';

const asRoot = process.geteuid?.() === 0 && process.env.OCIKIT_NO_CGROUP_TESTS === undefined ? test : test.skip;

async function rejected(p: Promise<unknown>): Promise<SyscallError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  if (e instanceof SyscallError) return e;
  throw e ?? new Error('expected a SyscallError');
}

function thrown(fn: () => unknown): SyscallError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SyscallError) return e;
    throw e;
  }
  throw new Error('expected a SyscallError');
}

describe('native errors', () => {
  asRoot("a cgroup error's message reaches JS, with the step and path", async () => {
    // refused by the cgroup manager (no kernel errno): its words were reduced to EINVAL before
    const e = await rejected(Cgroup.create('../escape'));
    expect(e).toMatchObject({ code: 'EINVAL', errno: 22, syscall: 'cgroup check name', path: '../escape' });
    expect(e.detail).toBe('cgroup path must be a relative a/b path');
    expect(e.message).toBe('cgroup check name failed: Invalid argument (EINVAL): ../escape: cgroup path must be a relative a/b path');
  });

  asRoot('a refused cgroup resource names the setting', async () => {
    const e = await rejected(Cgroup.create(`ocikit/test-errors-${process.pid}`, { memory: { swappiness: 200 } }));
    expect(e).toMatchObject({ code: 'EINVAL', syscall: 'cgroup resources', path: undefined });
    expect(e.detail).toBe('linux.resources.memory.swappiness must be in 0..=100');
  });

  test("a spec error's message reaches JS", () => {
    const spec = { ociVersion: '1.0.2', process: { args: ['/bin/true'], cwd: '/' } } as unknown as RuntimeSpec;
    const e = thrown(() => spawnContainer(spec, { stdio: [0, 1, 2] }));
    expect(e).toMatchObject({ code: 'EINVAL', errno: 22, syscall: 'spec', path: undefined });
    expect(e.detail).toBe('root is required');
    expect(e.message).toBe('spec failed: Invalid argument (EINVAL): root is required');
  });
});
