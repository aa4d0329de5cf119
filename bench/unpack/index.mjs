// Unpack benchmark: ocikit unpacking debianImage()'s 3 layers into an empty directory
// (`unpackLayers`, the merged rootfs umoci makes) and into overlay snapshots (`OverlaySnapshotter.retain`,
// one tree per layer), against `umoci unpack` of the image and `tar -xzf` of the same 3 blobs, alternated
// in one run. Then the peak RSS of unpacking bigLayerImage()'s 1 GiB layer (target < 150 MB).
// Needs `npm run build` first; run as root.
//   node bench/unpack/index.mjs      RUNS=N (default 5), BENCH_SKIP_BIG=1 skips the 1 GiB part
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bigLayerImage, debianImage, DEFAULT_CACHE_DIR } from '../fixtures/debian-image.mjs';
import { alternate, peakRssNode, printTable } from '../lib/measure.mjs';
import { run } from '../lib/proc.mjs';

const self = fileURLToPath(import.meta.url);
const layerSources = (img) => img.layers.map((l) => ({ path: l.path, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: l.digest, diffId: l.diffId }));

// Child mode for the RSS measurement: unpack one layout's layers, print a JSON line.
if (process.argv[2] === '--child') {
  const { unpackLayers } = await import('../../dist/layer/index.js');
  const [, , , infoJson, out] = process.argv;
  const t0 = performance.now();
  const res = await unpackLayers(layerSources(JSON.parse(infoJson)), out);
  console.log(JSON.stringify({ ms: performance.now() - t0, bytes: res.reduce((a, r) => a + r.size, 0) }));
  process.exit(0);
}

const { unpackLayers } = await import('../../dist/layer/index.js');
const { OverlaySnapshotter } = await import('../../dist/snapshot/index.js');
const runs = Number(process.env.RUNS ?? 5);
const img = await debianImage({ cacheDir: DEFAULT_CACHE_DIR });
const layers = layerSources(img);
const work = path.join(DEFAULT_CACHE_DIR, `work-unpack-${process.pid}`);
await fsp.rm(work, { recursive: true, force: true });
await fsp.mkdir(work, { recursive: true });
const out = path.join(work, 'out');
const fresh = async () => { await fsp.rm(out, { recursive: true, force: true }); await fsp.mkdir(out, { recursive: true }); };
const clean = () => fsp.rm(out, { recursive: true, force: true });

console.log(`image: debianImage(), 3 gzip layers, ${(img.totalCompressed / 1e6).toFixed(1)} MB compressed, `
  + `${(img.totalUncompressed / 1e6).toFixed(1)} MB tar, ${img.fileCount} files; load ${(await fsp.readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ')}`);
try {
  const samples = await alternate([
    { name: 'ocikit unpackLayers', setup: fresh, teardown: clean, fn: () => unpackLayers(layers, path.join(out, 'rootfs')) },
    { name: 'ocikit snapshots (overlay)', setup: fresh, teardown: clean, fn: () => new OverlaySnapshotter(out).retain('bench', layers) },
    { name: 'umoci unpack', setup: fresh, teardown: clean, fn: () => run('umoci', ['unpack', '--image', `${img.layoutDir}:${img.ref}`, path.join(out, 'bundle')]) },
    { name: 'tar -xzf (3 blobs)', setup: fresh, teardown: clean, fn: async () => { for (const l of img.layers) await run('tar', ['-xzf', l.path, '-C', out, '--numeric-owner']); } },
  ], runs, { warmup: 1 });
  const rows = Object.entries(samples).map(([name, s]) => ({ name, samples: s }));
  printTable([{ ...rows[2], anchor: true }, { ...rows[0], target: 0.7 }, { ...rows[1], target: 0.7 }, rows[3]], { title: 'unpack vs umoci unpack' });
  printTable([{ ...rows[3], anchor: true }, { ...rows[0], target: 1.0 }, { ...rows[1], target: 1.0 }], { title: 'unpack vs tar -xzf' });

  // Same tree as umoci's rootfs (names, types, modes, owners, sizes, link targets)?
  await fresh();
  await unpackLayers(layers, path.join(out, 'rootfs'));
  await run('umoci', ['unpack', '--image', `${img.layoutDir}:${img.ref}`, path.join(out, 'bundle')]);
  const listing = async (d) => (await run('sh', ['-c', `cd '${d}' && find . -printf '%p %y %m %U:%G %s %l\\n' | sort | sha256sum`])).stdout;
  const same = (await listing(path.join(out, 'rootfs'))) === (await listing(path.join(out, 'bundle', 'rootfs')));
  console.log(`tree equals umoci's rootfs: ${same}`);
  await clean();

  if (process.env.BENCH_SKIP_BIG !== '1') {
    const big = await bigLayerImage({ cacheDir: DEFAULT_CACHE_DIR, sizeGiB: 1 });
    await fresh();
    const r = await peakRssNode([self, '--child', JSON.stringify(big), path.join(out, 'rootfs')]);
    if (r.code !== 0) throw new Error(`child failed: ${r.stderr}`);
    const res = JSON.parse(r.stdout.trim().split('\n').at(-1));
    console.log(`\n1 GiB layer (${(res.bytes / 2 ** 20).toFixed(0)} MiB tar): unpackLayers ${(res.ms / 1000).toFixed(2)} s, `
      + `peak RSS ${r.maxRssMiB.toFixed(1)} MiB (target < 150 MB: ${r.maxRssKiB * 1024 < 150e6 ? 'ok' : 'MISS'})`);
    await clean();
  }
} finally {
  await fsp.rm(work, { recursive: true, force: true });
}
