// Runs once after all suites: a suite that leaks a mount, a cgroup or a process fails the run.
import { rmSync } from 'node:fs';
import { newLeaks } from './leaks.mjs';

export default async function globalTeardown() {
  const leaks = newLeaks(globalThis.__ocikitLeakBaseline ?? { mounts: [], cgroups: [], processes: [] });
  if (process.env.OCIKIT_TEST_ROOT_OWNED === '1' && process.env.OCIKIT_ROOT && leaks.mounts.length === 0) {
    rmSync(process.env.OCIKIT_ROOT, { recursive: true, force: true });
  }
  const lines = [
    ...leaks.mounts.map((m) => `mount ${m}`),
    ...leaks.cgroups.map((c) => `cgroup ${c}`),
    ...leaks.processes.map((p) => `process ${p}`),
  ];
  if (lines.length > 0) {
    throw new Error(`the test run leaked ${lines.length} item(s):\n  ${lines.join('\n  ')}`);
  }
}
