// Run benchmark: `run --rm IMAGE true` from the command line, start to removed.
//   ocikit CLI      node bin/ocikit.js run --rm IMAGE true (a fresh Node process each time)
//   crun            crun run of the same rootfs (unpacked with image.unpack), bundle kept
//   podman          podman run --rm --network=none IMAGE true (bench/lib/podman.mjs flags, own root)
//   Container.run   Container.run(image, {cmd}) + wait() + remove() in this warm Node process
// Medians of alternated samples (bench/lib/measure.mjs `alternate`) and ratios.
// crun refuses the hybrid cgroup layout here, so everything runs inside `unshare --mount` with
// /sys/fs/cgroup/unified unmounted (ocikit and podman do not mind either way).
// Needs `npm run build` first. Run as root: node bench/run/index.mjs   (RUNS=N to change the count)
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alternate, median, printTable } from '../lib/measure.mjs';
import { createPodman } from '../lib/podman.mjs';
import { busyboxRootfs, have, reexecWhereCrunRuns } from '../lib/runtime-host.mjs';

reexecWhereCrunRuns(import.meta.url);

const repo = join(fileURLToPath(new URL('.', import.meta.url)), '../..');
const runs = Number(process.env.RUNS ?? 15);
const work = mkdtempSync(join(tmpdir(), 'ocikit-bench-run-'));
chmodSync(work, 0o755);
process.env.OCIKIT_ROOT = join(work, 'ocikit-root');
const { Image, Container } = await import('../../dist/index.js');

// The image: busybox-static, imported from a rootfs tar (what `ocikit import` does).
const src = join(work, 'src');
busyboxRootfs(src, ['sh', 'true'], ['etc']);
writeFileSync(join(src, 'etc/passwd'), 'root:x:0:0:root:/:/bin/sh\n');
for (const f of ['hosts', 'hostname', 'resolv.conf']) writeFileSync(join(src, 'etc', f), '');
const tarFile = join(work, 'rootfs.tar');
execFileSync('tar', ['--numeric-owner', '-C', src, '-cf', tarFile, '.']);
const ref = 'bench/busybox:run';
const image = await Image.import(tarFile, { ref, changes: ['ENV PATH=/bin'] });

// crun: a bundle whose rootfs is the same image, unpacked.
const bundle = join(work, 'bundle');
mkdirSync(bundle);
await image.unpack(join(bundle, 'rootfs'));
execFileSync('crun', ['spec'], { cwd: bundle });
const spec = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8'));
spec.root = { path: join(bundle, 'rootfs'), readonly: true };
spec.process.args = ['/bin/true'];
spec.process.terminal = false;
writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec));

const wait = (child, what) => new Promise((resolve, reject) => {
  let err = '';
  child.stderr?.on('data', (d) => { err += d; });
  child.once('error', reject);
  child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${what}: exit ${code} ${err}`))));
});
let n = 0;
const podman = have('podman') ? await createPodman({ dir: join(work, 'podman') }) : undefined;
if (podman) await podman.podman(['import', '--quiet', tarFile, 'localhost/bench/busybox:run']);

const contenders = [
  {
    name: 'ocikit CLI run --rm',
    fn: () => wait(spawn(process.execPath, [join(repo, 'bin/ocikit.js'), 'run', '--rm', ref, 'true'], { stdio: ['ignore', 'ignore', 'pipe'] }), 'ocikit'),
  },
  {
    name: 'crun run',
    fn: () => wait(spawn('crun', ['run', '--bundle', bundle, `ocikit-bench-run-${process.pid}-${n++}`], { stdio: ['ignore', 'ignore', 'pipe'] }), 'crun'),
  },
  ...(podman ? [{ name: 'podman run --rm', fn: () => podman.runRm('localhost/bench/busybox:run', ['true']) }] : []),
  {
    name: 'Container.run+wait+remove (warm)',
    fn: async () => {
      const c = await Container.run(image, { cmd: ['true'] });
      const { exitCode } = await c.wait();
      await c.remove();
      if (exitCode !== 0) throw new Error(`Container.run: exit ${exitCode}`);
    },
  },
];

try {
  const res = await alternate(contenders, runs, { warmup: 2 });
  printTable(contenders.map((c) => ({ name: c.name, samples: res[c.name], anchor: c.name === 'crun run' })), { title: `run --rm IMAGE true, ${runs} alternated runs each (vs crun)` });
  const m = (k) => median(res[k]);
  const lines = [`ocikit CLI / crun = ${(m('ocikit CLI run --rm') / m('crun run')).toFixed(2)}`, `Container.run / crun = ${(m('Container.run+wait+remove (warm)') / m('crun run')).toFixed(2)}`];
  if (podman) lines.push(`ocikit CLI / podman = ${(m('ocikit CLI run --rm') / m('podman run --rm')).toFixed(2)}`, `Container.run / podman = ${(m('Container.run+wait+remove (warm)') / m('podman run --rm')).toFixed(2)}`);
  console.log(lines.join('\n'));
} finally {
  await podman?.cleanup();
  await Image.remove(ref).catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
}
