// Commit benchmark: diff + layer write after +1000/-100/~10 files, ocikit (overlay upper) vs `umoci repack`.
// Needs `npm run build:ts` first; run as root (overlay mounts): node bench/commit/run.mjs
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync, unlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE, benchImage } from '../unpack/image.mjs';

const { diffOverlay } = await import('../../dist/layer/index.js');
const { OverlaySnapshotter, mountOverlay, unmount } = await import('../../dist/snapshot/index.js');
const img = benchImage();

function mutate(root) {
  for (let i = 0; i < 1000; i++) {
    mkdirSync(join(root, 'added', `d${i % 20}`), { recursive: true });
    writeFileSync(join(root, 'added', `d${i % 20}`, `f${i}`), `added file ${i}\n`.repeat(200));
  }
  for (let i = 0; i < 100; i++) unlinkSync(join(root, `usr/lib/pkg${(i + 1000) % 70}/file${i + 1000}.so`));
  for (let i = 0; i < 10; i++) appendFileSync(join(root, `srv/app/mod${i}/f${i}.js`), '// changed\n');
}
const ms = (t) => Number(process.hrtime.bigint() - t) / 1e6;

const work = join(CACHE, 'commit-work');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
try {
  // ocikit: overlay snapshot, changes in the upper dir, then diff + gzip layer.
  const snap = new OverlaySnapshotter(join(CACHE, 'commit-store'));
  const prepared = await snap.prepare('bench', img.layers);
  const merged = join(work, 'merged');
  mkdirSync(merged);
  mountOverlay(prepared.mount, merged);
  try { mutate(merged); } finally { unmount(merged); }
  execFileSync('sync');
  let t = process.hrtime.bigint();
  const changes = diffOverlay(prepared.mount);
  const tDiff = ms(t);
  const blob = await changes.write(createWriteStream(join(work, 'layer.tar.gz')));
  const ours = ms(t);
  snap.remove('bench');

  // umoci: unpack (not timed), same changes, then repack.
  execFileSync('cp', ['-a', img.layout, join(work, 'layout')]);
  execFileSync('umoci', ['unpack', '--image', `${join(work, 'layout')}:${img.tag}`, join(work, 'bundle')], { stdio: 'ignore' });
  mutate(join(work, 'bundle/rootfs'));
  execFileSync('sync');
  t = process.hrtime.bigint();
  execFileSync('umoci', ['repack', '--image', `${join(work, 'layout')}:commit`, join(work, 'bundle')], { stdio: 'ignore' });
  const theirs = ms(t);
  console.log(`changes: ${changes.list.length} (A ${changes.list.filter((c) => c.kind === 'A').length}, C ${changes.list.filter((c) => c.kind === 'C').length}, D ${changes.list.filter((c) => c.kind === 'D').length}); layer ${blob.size} bytes`);
  console.log(`ocikit diff+commit  ${ours.toFixed(0)} ms (walk ${tDiff.toFixed(0)} ms, tar+gzip+sha256 ${(ours - tDiff).toFixed(0)} ms)`);
  console.log(`umoci repack        ${theirs.toFixed(0)} ms   ratio ${(ours / theirs).toFixed(3)}x (target <= 0.25x)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
