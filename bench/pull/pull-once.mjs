// One pull into an empty store, in its own process (as skopeo runs): prints
// JSON {ms, maxRssMiB}. Usage: node pull-once.mjs <ref> <root>
import { Image } from '../../dist/index.js';

const [ref, root] = process.argv.slice(2);
const t0 = performance.now();
const img = await Image.pull(ref, { root });
const ms = performance.now() - t0;
process.stdout.write(`${JSON.stringify({ ms, digest: img.digest, maxRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`);
