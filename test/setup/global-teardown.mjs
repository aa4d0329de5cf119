// Runs once after all suites: a suite that leaks a container, mount, cgroup or process fails the run.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cleanUpLeaks, newLeaks } from './leaks.mjs';

export default async function globalTeardown() {
  const leaks = newLeaks(globalThis.__ocikitLeakBaseline ?? { mounts: [], cgroups: [], processes: [] });
  const containers = leftoverContainers(process.env.OCIKIT_ROOT);
  if (process.env.OCIKIT_TEST_ROOT_OWNED === '1' && process.env.OCIKIT_ROOT && leaks.mounts.length === 0 && containers.length === 0) {
    rmSync(process.env.OCIKIT_ROOT, { recursive: true, force: true });
  }
  const lines = [
    ...containers.map((c) => `container ${c}`),
    ...leaks.mounts.map((m) => `mount ${m}`),
    ...leaks.cgroups.map((c) => `cgroup ${c}`),
    ...leaks.processes.map((p) => `process ${p}`),
  ];
  if (lines.length > 0) {
    cleanUpLeaks(leaks);
    throw new Error(`the test run leaked ${lines.length} item(s):\n  ${lines.join('\n  ')}`);
  }
}

/** Containers still recorded in the run's storage root: a test that made one did not remove it. */
function leftoverContainers(root) {
  if (!root) return [];
  const list = (dir) => {
    try {
      return readdirSync(join(dir, 'containers')).filter((n) => /^[0-9a-f]{64}$/.test(n));
    } catch {
      return [];
    }
  };
  // each worker has a root of its own under the run's (worker-root.cjs)
  let workers = [];
  try {
    workers = readdirSync(root).filter((n) => n.startsWith('worker-')).map((n) => join(root, n));
  } catch {
    // no root
  }
  return [root, ...workers].flatMap(list);
}
