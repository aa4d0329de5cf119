// Event-loop bench: does ocikit block the JS thread? A 1 ms interval timer runs while N containers
// (busybox `sleep 60`, imported from a busybox rootfs) go through the public API in parallel:
//   start     Container.run(image, { cmd, detach: true })
//   pause     pause()
//   unpause   unpause()
//   stop      stop({ timeout: 1 })  (sleep ignores SIGTERM as PID 1: SIGKILL to the cgroup after 1 s)
//   remove    remove()
// Per phase it prints the largest event-loop delay (perf_hooks.monitorEventLoopDelay, 1 ms
// resolution) and the largest lateness of the 1 ms interval, against a target of <= 5 ms.
// Its own OCIKIT_ROOT in a temp dir; everything is removed at the end.
// Needs `npm run build` first. Run as root: node bench/event-loop/index.mjs   (N=50 to change the count)
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { busyboxRootfs } from '../lib/runtime-host.mjs';

const N = Number(process.env.N ?? 50);
const TARGET_MS = 5;
const work = mkdtempSync(join(tmpdir(), 'ocikit-bench-event-loop-'));
chmodSync(work, 0o755);
process.env.OCIKIT_ROOT = join(work, 'ocikit-root');
const { Image, Container } = await import('../../dist/index.js');

/** Watches the loop: the histogram's max and the 1 ms interval's worst lateness, per phase. */
function watcher() {
  const h = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const t = performance.now();
    worst = Math.max(worst, t - last - 1);
    last = t;
  }, 1);
  h.enable();
  return {
    reset() {
      h.reset();
      last = performance.now();
      worst = 0;
    },
    read: () => ({ loopMaxMs: h.max / 1e6, intervalLateMs: worst, p99Ms: h.percentile(99) / 1e6 }),
    stop() {
      clearInterval(timer);
      h.disable();
    },
  };
}

const src = join(work, 'src');
busyboxRootfs(src, ['sh', 'sleep'], ['etc']);
writeFileSync(join(src, 'etc/passwd'), 'root:x:0:0:root:/:/bin/sh\n');
for (const f of ['hosts', 'hostname', 'resolv.conf']) writeFileSync(join(src, 'etc', f), '');
const tarFile = join(work, 'rootfs.tar');
execFileSync('tar', ['--numeric-owner', '-C', src, '-cf', tarFile, '.']);
const ref = `bench/busybox:event-loop-${process.pid}`;
const image = await Image.import(tarFile, { ref, changes: ['ENV PATH=/bin'] });

const containers = [];
const rows = [];
const w = watcher();
try {
  // one container first, unmeasured: the first start loads the addon and unpacks the image
  const warm = await Container.run(image, { cmd: ['sleep', '60'], detach: true });
  await warm.remove({ force: true });
  const phases = [
    ['start', async () => {
      containers.push(...(await Promise.all(Array.from({ length: N }, () => Container.run(image, { cmd: ['sleep', '60'], detach: true })))));
    }],
    ['pause', () => Promise.all(containers.map((c) => c.pause()))],
    ['unpause', () => Promise.all(containers.map((c) => c.unpause()))],
    ['stop', () => Promise.all(containers.map((c) => c.stop({ timeout: 1 })))],
    ['remove', async () => {
      await Promise.all(containers.map((c) => c.remove()));
      containers.length = 0;
    }],
  ];
  for (const [name, fn] of phases) {
    await new Promise((r) => setTimeout(r, 50)); // let the previous phase's stragglers settle
    w.reset();
    const t0 = performance.now();
    await fn();
    const ms = performance.now() - t0;
    rows.push({ name, ms, ...w.read() });
  }
} finally {
  w.stop();
  await Promise.all(containers.map((c) => c.remove({ force: true }).catch((e) => console.error(`cleanup ${c.id}: ${e.message}`))));
  await Image.remove(ref).catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
}

const pad = (s, n) => String(s).padEnd(n);
console.log(`event-loop delay while ${N} detached busybox containers go through each phase in parallel (target <= ${TARGET_MS} ms)`);
console.log(`${pad('phase', 9)}${pad('wall ms', 10)}${pad('loop max ms', 13)}${pad('loop p99 ms', 13)}${pad('1ms timer late', 16)}verdict`);
for (const r of rows) {
  const worst = Math.max(r.loopMaxMs, r.intervalLateMs);
  console.log(`${pad(r.name, 9)}${pad(r.ms.toFixed(0), 10)}${pad(r.loopMaxMs.toFixed(1), 13)}${pad(r.p99Ms.toFixed(1), 13)}${pad(r.intervalLateMs.toFixed(1), 16)}${worst <= TARGET_MS ? 'ok' : `over ${TARGET_MS} ms`}`);
}
