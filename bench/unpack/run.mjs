// Unpack benchmark: ocikit's unpackLayers vs `umoci unpack` vs `tar -xzf` of the same blobs.
// Needs `npm run build:ts` first. Run as root: node bench/unpack/run.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE, benchImage } from './image.mjs';

const { unpackLayers } = await import('../../dist/layer/index.js');
const img = benchImage();
const mb = img.layers.reduce((s, l) => s + l.size, 0) / 1e6;
const files = Number(execFileSync('sh', ['-c', `for f in ${img.layers.map((l) => l.path).join(' ')}; do tar -tzf $f; done | wc -l`]).toString().trim());
console.log(`image: 3 layers, ${mb.toFixed(1)} MB compressed, ${files} tar entries`);

const out = join(CACHE, 'unpack-out');
const fresh = () => { rmSync(out, { recursive: true, force: true }); mkdirSync(out, { recursive: true }); };
const dropCaches = () => spawnSync('sync');
function time(fn) { dropCaches(); const t = process.hrtime.bigint(); fn(); return Number(process.hrtime.bigint() - t) / 1e6; }
async function timeAsync(fn) { dropCaches(); const t = process.hrtime.bigint(); await fn(); return Number(process.hrtime.bigint() - t) / 1e6; }

const runs = Number(process.env.RUNS ?? 3);
const med = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ours = []; const umoci = []; const tar = [];
for (let i = 0; i < runs; i++) {
  fresh();
  ours.push(await timeAsync(() => unpackLayers(img.layers, join(out, 'rootfs'))));
  fresh();
  umoci.push(time(() => execFileSync('umoci', ['unpack', '--image', `${img.layout}:${img.tag}`, join(out, 'bundle')], { stdio: 'ignore' })));
  fresh();
  tar.push(time(() => { for (const l of img.layers) execFileSync('tar', ['-xzf', l.path, '-C', out, '--numeric-owner']); }));
}
// Same tree as umoci's rootfs (names, types, modes, owners, sizes, link targets)?
fresh();
await unpackLayers(img.layers, join(out, 'rootfs'));
execFileSync('umoci', ['unpack', '--image', `${img.layout}:${img.tag}`, join(out, 'bundle')], { stdio: 'ignore' });
const listing = (d) => execFileSync('sh', ['-c', `cd ${d} && find . -printf '%p %y %m %U:%G %s %l\\n' | sort | sha256sum`]).toString();
console.log(`tree equals umoci's: ${listing(join(out, 'rootfs')) === listing(join(out, 'bundle/rootfs'))}`);
rmSync(out, { recursive: true, force: true });
const [o, u, t] = [med(ours), med(umoci), med(tar)];
console.log(`ocikit unpackLayers  ${o.toFixed(0)} ms`);
console.log(`umoci unpack         ${u.toFixed(0)} ms   ratio ${(o / u).toFixed(2)}x (target <= 0.7x)`);
console.log(`tar -xzf (3 layers)  ${t.toFixed(0)} ms   ratio ${(o / t).toFixed(2)}x (target <= 1.0x)`);
