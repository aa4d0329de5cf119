// The runtime spec ocikit runs also runs under crun and runc, with the same observable results.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuntimeSpec } from '../../../lib/oci/runtime-spec.js';
import { baseSpec, busyboxRootfs, run } from './helpers.js';

const which = (bin: string) => ['/usr/bin', '/usr/sbin', '/bin', '/usr/local/bin'].some((d) => existsSync(join(d, bin)));
const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;

const PROBE = [
  'echo pid=$$', 'echo host=$(hostname)', 'echo kcore=$(cat /proc/kcore 2>/dev/null | wc -c)', 'echo keys=$(wc -c < /proc/keys)', 'grep CapEff /proc/self/status',
  'echo uid=$(id -u)', 'echo cwd=$(pwd)', 'echo foo=$FOO', 'echo nnp=$(grep NoNewPrivs /proc/self/status | cut -f2)',
].join('; ');

/**
 * Runs `spec` with `runtime` (crun or runc) in a bundle. crun 1.8 refuses this host's hybrid cgroup
 * layout, so both run in a private mount namespace with /sys/fs/cgroup/unified unmounted.
 */
function runWith(runtime: string, spec: RuntimeSpec, id: string): string {
  const bundle = mkdtempSync(join(tmpdir(), 'ocikit-bundle-'));
  try {
    writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec));
    const script = 'umount /sys/fs/cgroup/unified 2>/dev/null; exec "$0" run --bundle "$1" "$2" </dev/null';
    return execFileSync('unshare', ['-m', 'sh', '-c', script, runtime, bundle, id], { encoding: 'utf8', timeout: 20_000 });
  } finally {
    rmSync(bundle, { recursive: true, force: true });
  }
}

function specs(root: string): Record<string, RuntimeSpec> {
  const rootSpec = baseSpec(root, ['sh', '-c', PROBE]);
  rootSpec.process!.env = ['PATH=/bin', 'FOO=bar baz'];
  rootSpec.process!.cwd = '/tmp';
  const user = baseSpec(root, ['sh', '-c', PROBE]);
  user.process!.user = { uid: 1000, gid: 1000 };
  user.process!.cwd = '/';
  user.process!.env = ['PATH=/bin', 'FOO=user'];
  user.process!.capabilities = { bounding: ['CAP_CHOWN'], effective: [], permitted: [] };
  return { root: rootSpec, user };
}

for (const runtime of ['crun', 'runc']) {
  const maybe = asRoot === describe && which(runtime) && which('unshare') ? describe : describe.skip;
  maybe(`parity with ${runtime}`, () => {
    let root: string;
    beforeAll(() => {
      root = busyboxRootfs();
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    for (const kind of ['root', 'user'] as const) {
      test(`same hostname, PID 1, masked /proc/kcore, CapEff, uid, cwd, env (${kind})`, async () => {
        const spec = specs(root)[kind]!;
        const ours = await run(spec);
        expect(ours.exitCode).toBe(0);
        const theirs = runWith(runtime, spec, `ocikit-parity-${runtime}-${kind}-${process.pid}`);
        expect(ours.stdout).toBe(theirs);
        expect(ours.stdout).toContain('pid=1\n');
        // /proc/kcore is masked where the kernel has one (this one may not); /proc/keys always exists
        expect(ours.stdout).toContain('kcore=0\n');
        expect(ours.stdout).toContain('keys=0\n');
        expect(ours.stdout).toContain('host=ocikit-test\n');
      });
    }
  });
}
