// Density benchmark: N detached `sleep 1000` containers (default 500), started one after another
// (CONC at a time, default 4), through ocikit (startDetached: one ocikit-monitor each, a cgroup
// `ocikit/<id>` each) against `crun run -d` of N bundles. All share one read-only busybox rootfs,
// so the figures are the runtime's own cost. Reports: total ms, containers/s, and host memory per
// container: MemAvailable delta / N (kernel + processes), plus the monitors' RSS and PSS.
// crun refuses the hybrid cgroup layout here, so the whole benchmark runs inside `unshare --mount`
// with /sys/fs/cgroup/unified unmounted. Needs `npm run build` first. Run as root:
//   node bench/density/index.mjs        (N=500 CONC=4 ONLY=ocikit|crun)
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { busyboxRootfs, have, reexecWhereCrunRuns } from '../lib/runtime-host.mjs';

reexecWhereCrunRuns(import.meta.url);

const { startDetached, killDetached, readDetachedExit } = await import('../../dist/native/monitor.js');
const { Cgroup } = await import('../../dist/native/cgroup.js');
const N = Number(process.env.N ?? 500);
const CONC = Number(process.env.CONC ?? 4);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const work = mkdtempSync(join(tmpdir(), 'ocikit-bench-density-'));
chmodSync(work, 0o755);
const rootfs = join(work, 'rootfs');
busyboxRootfs(rootfs, ['sleep', 'sh']);
spawnSync('crun', ['spec'], { cwd: work });
const spec = JSON.parse(readFileSync(join(work, 'config.json'), 'utf8'));
rmSync(join(work, 'config.json'));
spec.root = { path: rootfs, readonly: true };
spec.process.args = ['/bin/sleep', '1000'];
spec.process.terminal = false;
delete spec.linux.resources;

function meminfo() {
  const t = readFileSync('/proc/meminfo', 'utf8');
  return (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(t)?.[1] ?? 0);
}
function memAvailableKiB() {
  return meminfo()('MemAvailable');
}
/** Anonymous memory + kernel memory (slab, stacks, page tables, per-cpu): insensitive to page cache. */
function anonKernelKiB() {
  const m = meminfo();
  return ['AnonPages', 'Slab', 'KernelStack', 'PageTables', 'Percpu', 'Shmem'].reduce((a, k) => a + m(k), 0);
}
function procKiB(pid, file, key) {
  try {
    return Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}
/** Settles page cache and slab a little so MemAvailable deltas mean something. */
async function settle() {
  spawnSync('sync');
  await sleep(500);
}
async function pool(n, conc, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(conc, n) }, async () => {
    while (next < n) await fn(next++);
  }));
}
// 'exit', not 'close': a detached container would hold inherited pipes open
const wait = (child) => new Promise((resolve, reject) => {
  child.once('error', reject);
  child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${child.spawnargs.join(' ')}: exit ${code}`))));
});
const cmd = (bin, args) => wait(spawn(bin, args, { stdio: 'ignore' }));

const results = {};

// One cgroup at the same absolute path in every v1 hierarchy; this process joins it in the memory
// hierarchy, so every monitor and container it starts is charged inside it.
const CONTROLLERS = ['memory', 'pids', 'cpu', 'cpuacct', 'cpuset', 'freezer', 'devices'];
const benchCg = `ocikit-bench-density-${process.pid}`;
const ownMem = readFileSync('/proc/self/cgroup', 'utf8').split('\n').find((l) => l.split(':')[1] === 'memory')?.split(':')[2] ?? '/';
const memDir = `/sys/fs/cgroup/memory/${benchCg}`;
for (const ctl of CONTROLLERS) {
  const dir = `/sys/fs/cgroup/${ctl}/${benchCg}`;
  mkdirSync(dir, { recursive: true });
  if (ctl === 'cpuset') {
    for (const f of ['cpuset.cpus', 'cpuset.mems']) writeFileSync(`${dir}/${f}`, readFileSync(`/sys/fs/cgroup/cpuset/${f}`, 'utf8').trim());
  }
}
writeFileSync(`${memDir}/cgroup.procs`, String(process.pid));
/** Memory charged to the benchmark's cgroup, without page cache, in KiB. */
function chargedKiB() {
  const usage = Number(readFileSync(`${memDir}/memory.usage_in_bytes`, 'utf8'));
  const cache = Number(/^total_cache (\d+)/m.exec(readFileSync(`${memDir}/memory.stat`, 'utf8'))?.[1] ?? 0);
  return (usage - cache) / 1024;
}
function leaveBenchCgroup() {
  writeFileSync(`/sys/fs/cgroup/memory${ownMem}/cgroup.procs`, String(process.pid));
  // crun also makes the path in the hierarchies we did not (blkio, name=systemd)
  for (const ctl of [...CONTROLLERS, 'blkio', 'systemd', 'net_cls', 'net_prio', 'perf_event', 'hugetlb', 'rdma', 'misc']) {
    for (let i = 0; i < 50; i++) {
      try {
        rmdirSync(`/sys/fs/cgroup/${ctl}/${benchCg}`);
        break;
      } catch (e) {
        if (e.code === 'ENOENT') break;
        spawnSync('sleep', ['0.05']);
      }
    }
  }
}

async function benchOcikit() {
  const states = [];
  const cgroups = [];
  const started = [];
  await settle();
  const before = memAvailableKiB();
  const beforeAK = anonKernelKiB();
  const beforeCg = chargedKiB();
  const t0 = performance.now();
  try {
    await pool(N, CONC, async (i) => {
      const id = `density-${process.pid}-${i}`;
      const cg = await Cgroup.create(`ocikit/${id}`);
      cgroups[i] = cg;
      states[i] = join(work, 'state', id);
      started[i] = await startDetached(spec, { stateDir: states[i], cgroup: cg });
    });
    const ms = performance.now() - t0;
    await settle();
    const after = memAvailableKiB();
    const ak = (anonKernelKiB() - beforeAK) / N;
    const cg = (chargedKiB() - beforeCg) / N;
    const monitors = started.map((s) => s.monitorPid);
    const rss = monitors.reduce((a, p) => a + procKiB(p, 'status', 'VmRSS'), 0);
    const pss = monitors.reduce((a, p) => a + procKiB(p, 'smaps_rollup', 'Pss'), 0);
    results.ocikit = { ms, cg, kib: (before - after) / N, ak, monitorRss: rss / N, monitorPss: pss / N };
  } finally {
    const t1 = performance.now();
    await pool(N, 8, async (i) => {
      if (started[i]) {
        await killDetached({ pid: started[i].pid, startTime: started[i].startTime }, 'SIGKILL');
        for (let k = 0; k < 500 && !(await readDetachedExit(states[i])); k++) await sleep(10);
      }
      await cgroups[i]?.remove();
    });
    results.ocikit && (results.ocikit.cleanupMs = performance.now() - t1);
    rmSync(join(work, 'state'), { recursive: true, force: true });
  }
}

async function benchCrun() {
  const ids = [];
  const bundles = join(work, 'bundles');
  for (let i = 0; i < N; i++) {
    const b = join(bundles, String(i));
    mkdirSync(b, { recursive: true });
    writeFileSync(join(b, 'config.json'), JSON.stringify({ ...spec, linux: { ...spec.linux, cgroupsPath: `/${benchCg}/crun-${i}` } }));
  }
  await settle();
  const before = memAvailableKiB();
  const beforeAK = anonKernelKiB();
  const beforeCg = chargedKiB();
  const t0 = performance.now();
  try {
    await pool(N, CONC, async (i) => {
      const id = `ocikit-density-crun-${process.pid}-${i}`;
      await cmd('crun', ['run', '-d', '--bundle', join(bundles, String(i)), id]);
      ids[i] = id;
    });
    const ms = performance.now() - t0;
    await settle();
    results.crun = { ms, cg: (chargedKiB() - beforeCg) / N, kib: (before - memAvailableKiB()) / N, ak: (anonKernelKiB() - beforeAK) / N };
  } finally {
    const t1 = performance.now();
    await pool(N, 8, async (i) => {
      if (ids[i]) await cmd('crun', ['delete', '-f', ids[i]]).catch((e) => console.error(String(e)));
    });
    results.crun && (results.crun.cleanupMs = performance.now() - t1);
    rmSync(bundles, { recursive: true, force: true });
  }
}

try {
  if (process.env.ONLY !== 'crun') await benchOcikit();
  if (process.env.ONLY !== 'ocikit' && have('crun')) await benchCrun();
  console.log(`density: ${N} detached \`sleep 1000\` containers, ${CONC} starts in flight, shared read-only rootfs`);
  console.log('  KiB/container: charged to the benchmark memory cgroup (processes + kernel, no page cache) / N;');
  console.log('  host-wide deltas / N (noisy on a shared host): MemAvailable, and AnonPages+Slab+KernelStack+PageTables+Percpu+Shmem');
  console.log(`  ${'runtime'.padEnd(8)} ${'ms total'.padStart(9)} ${'containers/s'.padStart(13)} ${'KiB/container'.padStart(14)} ${'MemAvail'.padStart(9)} ${'anon+kernel'.padStart(12)} ${'monitor RSS/PSS KiB'.padStart(20)} ${'cleanup ms'.padStart(11)}`);
  for (const [name, r] of Object.entries(results)) {
    const mon = r.monitorRss === undefined ? '—' : `${r.monitorRss.toFixed(0)} / ${r.monitorPss.toFixed(0)}`;
    console.log(`  ${name.padEnd(8)} ${r.ms.toFixed(0).padStart(9)} ${(N / (r.ms / 1000)).toFixed(1).padStart(13)} ${r.cg.toFixed(0).padStart(14)} ${r.kib.toFixed(0).padStart(9)} ${r.ak.toFixed(0).padStart(12)} ${mon.padStart(20)} ${r.cleanupMs.toFixed(0).padStart(11)}`);
  }
  if (results.ocikit && results.crun) {
    const rate = results.crun.ms / results.ocikit.ms;
    console.log(`start rate ocikit/crun = ${rate.toFixed(2)} (target ≥ 1.00) ${rate >= 1 ? 'OK' : 'MISSED'}`);
    const per = results.ocikit.cg;
    console.log(`memory per container ${per.toFixed(0)} KiB (crun: ${results.crun.cg.toFixed(0)}; target ≤ 1024) ${per <= 1024 ? 'OK' : 'MISSED'}`);
    const rssWay = results.ocikit.cg + results.ocikit.monitorRss - results.ocikit.monitorPss;
    console.log(`  the same counting each monitor's whole RSS (shared text included) instead of its PSS: ${rssWay.toFixed(0)} KiB`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
  leaveBenchCgroup();
}
