// Pull benchmark: debianImage() pushed to a local docker-registry, then pulled into an empty store by
//   ocikit `Image.pull` in this (warm) Node process, ocikit as a whole `ocikit pull` process (bin/ocikit.js),
//   `skopeo copy docker://… oci:…` (the anchor) and `podman pull` (image removed between runs),
// alternated in one run; medians and ratios. Then the peak RSS of `Image.pull` of bigLayerImage()'s
// 1 GiB layer in a fresh process (target < 150 MB), beside skopeo's.
// Needs `npm run build` first.
//   node bench/pull/index.mjs      RUNS=N (default 5), BENCH_SKIP_BIG=1, BENCH_SKIP_PODMAN=1
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bigLayerImage, debianImage, DEFAULT_CACHE_DIR } from '../fixtures/debian-image.mjs';
import { alternate, peakRss, peakRssNode, printTable } from '../lib/measure.mjs';
import { createPodman } from '../lib/podman.mjs';
import { run } from '../lib/proc.mjs';
import { pushLayout, startRegistry } from '../lib/registry.mjs';

const self = fileURLToPath(import.meta.url);
const CLI = path.resolve(path.dirname(self), '..', '..', 'bin', 'ocikit.js');

// Child mode for the RSS measurement: one Image.pull into an empty store, print a JSON line.
if (process.argv[2] === '--child') {
  const { Image } = await import('../../dist/index.js');
  const [, , , ref, root] = process.argv;
  const t0 = performance.now();
  const img = await Image.pull(ref, { root });
  console.log(JSON.stringify({ ms: performance.now() - t0, digest: img.digest }));
  process.exit(0);
}

const { Image } = await import('../../dist/index.js');
const runs = Number(process.env.RUNS ?? 5);
const work = path.join(DEFAULT_CACHE_DIR, `work-pull-${process.pid}`);
await fsp.rm(work, { recursive: true, force: true });
await fsp.mkdir(work, { recursive: true });
const dest = path.join(work, 'dest');
const fresh = async () => { await fsp.rm(dest, { recursive: true, force: true }); await fsp.mkdir(dest, { recursive: true }); };
const clean = () => fsp.rm(dest, { recursive: true, force: true });

const img = await debianImage({ cacheDir: DEFAULT_CACHE_DIR });
const registry = await startRegistry();
const podman = process.env.BENCH_SKIP_PODMAN === '1' ? undefined : await createPodman();
try {
  const ref = await pushLayout(img.layoutDir, img.ref, registry.host);
  console.log(`image: debianImage() at ${ref}, 3 gzip layers, ${(img.totalCompressed / 1e6).toFixed(1)} MB compressed; `
    + `load ${(await fsp.readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ')}`);
  const contenders = [
    { name: 'skopeo copy docker:// oci:', setup: fresh, teardown: clean,
      fn: () => run('skopeo', ['--insecure-policy', 'copy', '--quiet', '--src-tls-verify=false', `docker://${ref}`, `oci:${dest}/layout:x`]) },
    { name: 'ocikit Image.pull (warm process)', setup: fresh, teardown: clean, fn: () => Image.pull(ref, { root: dest }) },
    { name: 'ocikit pull (CLI process)', setup: fresh, teardown: clean,
      fn: () => run(process.execPath, [CLI, 'pull', '--quiet', ref], { env: { ...process.env, OCIKIT_ROOT: dest } }) },
  ];
  if (podman) contenders.push({ name: 'podman pull', teardown: () => podman.rmi(ref), fn: () => podman.pull(null, ref) });
  const samples = await alternate(contenders, runs, { warmup: 1 });
  const rows = Object.entries(samples).map(([name, s]) => ({ name, samples: s }));
  printTable([{ ...rows[0], anchor: true }, { ...rows[1], target: 0.8 }, { ...rows[2], target: 0.8 }, ...rows.slice(3)], { title: 'pull vs skopeo copy' });

  if (process.env.BENCH_SKIP_BIG !== '1') {
    const big = await bigLayerImage({ cacheDir: DEFAULT_CACHE_DIR, sizeGiB: 1 });
    const bigRef = await pushLayout(big.layoutDir, big.ref, registry.host);
    await fresh();
    const ours = await peakRssNode([self, '--child', bigRef, dest]);
    if (ours.code !== 0) throw new Error(`child failed: ${ours.stderr}`);
    await fresh();
    const sk = await peakRss('skopeo', ['--insecure-policy', 'copy', '--quiet', '--src-tls-verify=false', `docker://${bigRef}`, `oci:${dest}/layout:x`]);
    await clean();
    const ms = JSON.parse(ours.stdout.trim().split('\n').at(-1)).ms;
    console.log(`\n1 GiB layer (${(big.totalCompressed / 1e6).toFixed(0)} MB gz): ocikit Image.pull ${(ms / 1000).toFixed(2)} s, `
      + `peak RSS ${ours.maxRssMiB.toFixed(1)} MiB (target < 150 MB: ${ours.maxRssKiB * 1024 < 150e6 ? 'ok' : 'MISS'}); `
      + `skopeo copy ${(sk.elapsedMs / 1000).toFixed(2)} s, peak RSS ${sk.maxRssMiB.toFixed(1)} MiB`);
  }
} finally {
  await podman?.cleanup();
  await registry.stop();
  await fsp.rm(work, { recursive: true, force: true });
}
