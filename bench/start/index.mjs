// Start benchmark: /bin/true from start to reaped exit, through ocikit's runtime in a warm Node
// process, against `crun run` and `runc run` spawned from the same process on the same bundle.
// crun refuses the hybrid cgroup layout here, so the whole benchmark runs inside `unshare --mount`
// with /sys/fs/cgroup/unified unmounted (ocikit does not mind either way).
// Needs `npm run build` first. Run as root: node bench/start/index.mjs   (RUNS=N to change the count)
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { alternate, median } from '../lib/measure.mjs';
import { busyboxRootfs, have, reexecWhereCrunRuns } from '../lib/runtime-host.mjs';

reexecWhereCrunRuns(import.meta.url);

const { spawnContainer } = await import('../../dist/native/runtime.js');
const runs = Number(process.env.RUNS ?? 30);

const work = mkdtempSync(join(tmpdir(), 'ocikit-bench-start-'));
const rootfs = join(work, 'rootfs');
chmodSync(work, 0o755);
busyboxRootfs(rootfs, ['true']);
execFileSync('crun', ['spec'], { cwd: work });
const spec = JSON.parse(readFileSync(join(work, 'config.json'), 'utf8'));
spec.root = { path: rootfs, readonly: true };
spec.process.args = ['/bin/true'];
spec.process.terminal = false;
writeFileSync(join(work, 'config.json'), JSON.stringify(spec));

const devnull = openSync('/dev/null', 'r+');
const wait = (child) => new Promise((resolve, reject) => {
  child.once('error', reject);
  child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${child.spawnargs.join(' ')}: exit ${code}`))));
});
const ownCgroup = (ctl) => readFileSync('/proc/self/cgroup', 'utf8').split('\n')
  .find((l) => l.split(':')[1]?.split(',').includes(ctl))?.split(':')[2] ?? '/';
let n = 0;

const contenders = [
  {
    name: 'ocikit',
    fn: async () => {
      const c = spawnContainer(spec, { stdio: [devnull, devnull, devnull] });
      const st = await c.exited;
      if (st.exitCode !== 0) throw new Error(`ocikit: ${JSON.stringify(st)}`);
    },
  },
  {
    // the same with a fresh memory+pids cgroup made and removed per start, as crun and runc do
    name: 'ocikit+cgroup',
    setup: () => ['memory', 'pids'].map((ctl) => {
      const dir = `/sys/fs/cgroup/${ctl}${ownCgroup(ctl).replace(/\/$/, '')}/ocikit-bench-${process.pid}-${n++}`;
      return dir;
    }),
    fn: async (dirs) => {
      for (const d of dirs) mkdirSync(d);
      const c = spawnContainer(spec, { stdio: [devnull, devnull, devnull], cgroupPaths: dirs });
      await c.exited;
      for (const d of dirs) rmdirSync(d);
    },
  },
  ...(have('crun') ? [{ name: 'crun', fn: () => wait(spawn('crun', ['run', '--bundle', work, `ocikit-bench-crun-${n++}`], { stdio: 'ignore' })) }] : []),
  ...(have('runc') ? [{ name: 'runc', fn: () => wait(spawn('runc', ['run', '--bundle', work, `ocikit-bench-runc-${n++}`], { stdio: 'ignore' })) }] : []),
];

try {
  const res = await alternate(contenders, runs, { warmup: 3 });
  const crun = res.crun ? median(res.crun) : NaN;
  console.log(`start /bin/true → exit, ${runs} runs each, alternated (medians):`);
  for (const [name, xs] of Object.entries(res)) {
    const m = median(xs);
    console.log(`  ${name.padEnd(14)} ${m.toFixed(2).padStart(7)} ms   ${Number.isNaN(crun) ? '' : `${(m / crun).toFixed(2)}× crun`}`);
  }
  if (!Number.isNaN(crun)) {
    const r = median(res.ocikit) / crun;
    console.log(`ratio ocikit/crun = ${r.toFixed(2)} (target ≤ 0.50) ${r <= 0.5 ? 'OK' : 'MISSED'}`);
  }
} finally {
  closeSync(devnull);
  rmSync(work, { recursive: true, force: true });
}
