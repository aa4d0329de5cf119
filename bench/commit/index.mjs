// Commit benchmark: the standard change (mutationScript(): +1000 / −100 / ~10 files) made on debianImage(),
// then timed, alternated in one run:
//   ocikit   diffOverlay(upper) + tar + gzip + sha256 of the new layer into a file (overlay snapshots of the 3 layers,
//            the change made through a mounted overlay, so the upper dir holds it as a container's would)
//   umoci    `umoci repack` of an unpacked bundle with the same change (the anchor)
//   podman   `podman commit` of an exited container that ran the same change
// Needs `npm run build` first; run as root (overlay mounts).
//   node bench/commit/index.mjs      RUNS=N (default 5), BENCH_SKIP_PODMAN=1
import fsp from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { debianImage, DEFAULT_CACHE_DIR, mutationScript } from '../fixtures/debian-image.mjs';
import { alternate, printTable } from '../lib/measure.mjs';
import { createPodman } from '../lib/podman.mjs';
import { run } from '../lib/proc.mjs';
import { pushLayout, startRegistry } from '../lib/registry.mjs';

const { diffOverlay } = await import('../../dist/layer/index.js');
const { OverlaySnapshotter, mountOverlay, unmount } = await import('../../dist/snapshot/index.js');
const runs = Number(process.env.RUNS ?? 5);
const img = await debianImage({ cacheDir: DEFAULT_CACHE_DIR });
const layers = img.layers.map((l) => ({ path: l.path, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: l.digest, diffId: l.diffId }));
const work = path.join(DEFAULT_CACHE_DIR, `work-commit-${process.pid}`);
await fsp.rm(work, { recursive: true, force: true });
await fsp.mkdir(work, { recursive: true });
const sh = (script) => run('sh', ['-c', script]);

const registry = process.env.BENCH_SKIP_PODMAN === '1' ? undefined : await startRegistry();
const podman = registry ? await createPodman() : undefined;
const snap = new OverlaySnapshotter(path.join(work, 'store'));
let last = {};
try {
  console.log(`image: debianImage(), ${img.fileCount} files; change: +1000 / -100 / ~10 files; `
    + `load ${(await fsp.readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ')}`);
  // umoci: one unpacked bundle as a template (copied per round), one layout copy that repack adds to.
  const layout = path.join(work, 'layout');
  await run('cp', ['-a', img.layoutDir, layout]);
  await run('umoci', ['unpack', '--image', `${layout}:${img.ref}`, path.join(work, 'template')]);
  let imageRef;
  if (podman) {
    imageRef = await pushLayout(img.layoutDir, img.ref, registry.host);
    await podman.pull(null, imageRef);
  }

  const contenders = [
    {
      name: 'umoci repack',
      async setup(round) {
        const bundle = path.join(work, `bundle-${round}`);
        await run('cp', ['-a', path.join(work, 'template'), bundle]);
        await sh(mutationScript(path.join(bundle, 'rootfs')));
        await run('sync');
        return { bundle, round };
      },
      fn: ({ bundle, round }) => run('umoci', ['repack', '--image', `${layout}:commit-${round}`, bundle]),
      teardown: ({ bundle }) => fsp.rm(bundle, { recursive: true, force: true }),
    },
    {
      name: 'ocikit diff + layer',
      async setup(round) {
        const id = `bench-${round}`;
        const prepared = await snap.prepare(id, layers);
        const merged = path.join(work, `merged-${round}`);
        await fsp.mkdir(merged);
        mountOverlay(prepared.mount, merged);
        try { await sh(mutationScript(merged)); } finally { unmount(merged); }
        await fsp.rmdir(merged);
        await run('sync');
        return { id, mount: prepared.mount, out: path.join(work, `layer-${round}.tar.gz`) };
      },
      async fn({ mount, out }) {
        const changes = diffOverlay(mount);
        const blob = await changes.write(createWriteStream(out));
        last = { changes: changes.list, blob };
      },
      teardown: async ({ id, out }) => { await snap.remove(id); await fsp.rm(out, { force: true }); },
    },
  ];
  if (podman) {
    contenders.push({
      name: 'podman commit',
      async setup(round) {
        const name = `bench-commit-${round}`;
        await podman.run(imageRef, ['sh', '-c', mutationScript('')], { name });
        return { name, image: `localhost/bench-commit:${round}` };
      },
      fn: ({ name, image }) => podman.commit(name, image),
      teardown: async ({ name, image }) => { await podman.rm(name); await podman.rmi(image); },
    });
  }
  const samples = await alternate(contenders, runs, { warmup: 1 });
  const rows = Object.entries(samples).map(([name, s]) => ({ name, samples: s }));
  const kinds = (k) => last.changes.filter((c) => c.kind === k).length;
  console.log(`ocikit changes: ${last.changes.length} (A ${kinds('A')}, C ${kinds('C')}, D ${kinds('D')}); layer ${last.blob.size} bytes`);
  printTable([{ ...rows[0], anchor: true }, { ...rows[1], target: 0.25 }, ...rows.slice(2)], { title: 'commit vs umoci repack' });
} finally {
  await podman?.cleanup();
  await registry?.stop();
  await fsp.rm(work, { recursive: true, force: true });
}
