// Peak RSS of unpacking one 1 GiB gzip layer (target < 150 MB). Layer cached under bench/.cache.
// Needs `npm run build:ts` first. Run: node bench/unpack/rss.mjs
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CACHE } from './image.mjs';

if (process.argv[2] === '--child') {
  const { applyLayer } = await import('../../dist/layer/index.js');
  const t = Date.now();
  const r = await applyLayer({ path: process.argv[3], mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' }, process.argv[4]);
  console.log(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, ms: Date.now() - t, size: r.size }));
  process.exit(0);
}

const blob = join(CACHE, 'rss-1g.tar.gz');
if (!existsSync(blob)) {
  const tree = join(CACHE, 'rss-tree');
  mkdirSync(join(tree, 'big'), { recursive: true });
  const block = randomBytes(1 << 20);
  for (let i = 0; i < 64; i++) writeFileSync(join(tree, 'big', `f${i}`), Buffer.concat(Array(16).fill(block)));
  execFileSync('sh', ['-c', `tar -C ${tree} -cf - . | gzip -1 -n > ${blob}`]);
  rmSync(tree, { recursive: true, force: true });
}
const out = join(CACHE, 'rss-out');
rmSync(out, { recursive: true, force: true });
const res = JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', blob, out]).toString());
rmSync(out, { recursive: true, force: true });
console.log(`1 GiB layer (${(res.size / 2 ** 30).toFixed(2)} GiB uncompressed): ${res.ms} ms, peak RSS ${(res.maxRssKb / 1024).toFixed(0)} MB (target < 150 MB)`);
