// Pull benchmark: ocikit's Image.pull against `skopeo copy docker://… oci:…`
// from a local docker-registry, alternating, medians and ratio; then peak RSS
// while pulling a 1 GiB layer. Needs `npm run build:ts` first (imports dist/).
//
//   node bench/pull/run.mjs [runs=5]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const cache = join(here, '..', '.bench-cache', 'pull');
const runs = Number(process.argv[2] ?? 5);
const MiB = 1024 * 1024;

/** Writes a one-file tar layer of `size` bytes from `chunk()` into the layout; returns its descriptor. */
async function writeLayer(layout, name, size, chunk) {
  const tarPath = join(layout, `${name}.tar.gz`);
  const diff = createHash('sha256');
  const comp = createHash('sha256');
  const gz = createGzip({ level: 1 });
  const out = createWriteStream(tarPath);
  let compSize = 0;
  gz.on('data', (d) => {
    comp.update(d);
    compSize += d.length;
  });
  gz.pipe(out);
  const write = (buf) => {
    diff.update(buf);
    return gz.write(buf) ? Promise.resolve() : new Promise((r) => gz.once('drain', r));
  };
  const header = Buffer.alloc(512);
  header.write(`${name}.bin`, 0);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  header.write('14000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\x0000', 257);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  await write(header);
  for (let done = 0; done < size; ) {
    const c = chunk(Math.min(4 * MiB, size - done));
    await write(c);
    done += c.length;
  }
  await write(Buffer.alloc((512 - (size % 512)) % 512 + 1024));
  await new Promise((r) => {
    out.on('finish', r);
    gz.end();
  });
  const digest = `sha256:${comp.digest('hex')}`;
  mkdirSync(join(layout, 'blobs', 'sha256'), { recursive: true });
  execFileSync('mv', [tarPath, join(layout, 'blobs', 'sha256', digest.slice(7))]);
  return { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest, size: compSize, diffId: `sha256:${diff.digest('hex')}` };
}

function put(layout, bytes) {
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  writeFileSync(join(layout, 'blobs', 'sha256', digest.slice(7)), bytes);
  return digest;
}

/** Builds (once) an OCI layout with the given layers, tagged `bench`. */
async function buildImage(name, specs) {
  const layout = join(cache, name);
  if (existsSync(join(layout, 'index.json'))) return layout;
  rmSync(layout, { recursive: true, force: true });
  mkdirSync(join(layout, 'blobs', 'sha256'), { recursive: true });
  const layers = [];
  for (const [i, s] of specs.entries()) layers.push(await writeLayer(layout, `layer${i}`, s.size, s.chunk));
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) } }));
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: put(layout, config), size: config.length },
    layers: layers.map(({ diffId, ...l }) => l),
  }));
  const md = put(layout, manifest);
  writeFileSync(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(join(layout, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: md, size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': 'bench' } }] }));
  return layout;
}

const words = Buffer.from('lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore\n'.repeat(50000));
const random = (n) => randomBytes(n);
const text = (n) => words.subarray(0, n);

async function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startRegistry(dir) {
  const port = await freePort();
  writeFileSync(join(dir, 'config.yml'), `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\nhttp:\n  addr: 127.0.0.1:${port}\n`);
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (spawnSync('curl', ['-sf', `http://127.0.0.1:${port}/v2/`]).status === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { host: `127.0.0.1:${port}`, stop: () => process.kill(child.pid, 'SIGTERM') };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeSkopeo(ref, dest) {
  const t0 = performance.now();
  execFileSync('skopeo', ['copy', '-q', '--src-tls-verify=false', `docker://${ref}`, `oci:${dest}:x`]);
  return performance.now() - t0;
}

/** Our pull in its own process, timed from spawn to exit like skopeo; also the in-process time. */
function ours(ref, root) {
  const t0 = performance.now();
  const out = execFileSync(process.execPath, [join(here, 'pull-once.mjs'), ref, root], { encoding: 'utf8' });
  return { ...JSON.parse(out.trim().split('\n').at(-1)), wall: performance.now() - t0 };
}

const work = mkdtempSync(join(tmpdir(), 'ocikit-bench-pull-'));
const registry = await startRegistry(work);
try {
  console.log('building images (cached under bench/.bench-cache/pull)…');
  const small = await buildImage('img-110m', [
    { size: 60 * MiB, chunk: random },
    { size: 40 * MiB, chunk: random },
    { size: 30 * MiB, chunk: text },
  ]);
  const ref = `${registry.host}/bench/img:1`;
  execFileSync('skopeo', ['copy', '-q', '--dest-tls-verify=false', `oci:${small}:bench`, `docker://${ref}`]);
  const idx = JSON.parse(readFileSync(join(small, 'index.json'), 'utf8'));
  const m = JSON.parse(readFileSync(join(small, 'blobs', 'sha256', idx.manifests[0].digest.slice(7)), 'utf8'));
  const total = m.layers.reduce((n, l) => n + l.size, 0);
  console.log(`image: 3 layers, ${(total / MiB).toFixed(1)} MiB compressed`);
  const mine = [];
  const inner = [];
  const theirs = [];
  const rss = [];
  for (let i = 0; i < runs; i++) {
    const a = join(work, `ours-${i}`);
    const b = join(work, `skopeo-${i}`);
    const r = ours(ref, a);
    mine.push(r.wall);
    inner.push(r.ms);
    rss.push(r.maxRssMiB);
    theirs.push(timeSkopeo(ref, b));
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
  const mo = median(mine);
  const ms = median(theirs);
  console.log(`ocikit pull  median ${mo.toFixed(0)} ms  (process wall time; runs: ${mine.map((x) => x.toFixed(0)).join(', ')}; Image.pull alone median ${median(inner).toFixed(0)} ms; peak RSS ${median(rss).toFixed(0)} MiB)`);
  console.log(`skopeo copy  median ${ms.toFixed(0)} ms  (runs: ${theirs.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`ratio ocikit/skopeo: ${(mo / ms).toFixed(2)} (target <= 0.8)`);

  if (process.env.BENCH_SKIP_GIB !== '1') {
    const big = await buildImage('img-1g', [{ size: 1024 * MiB, chunk: random }]);
    const bigRef = `${registry.host}/bench/big:1`;
    execFileSync('skopeo', ['copy', '-q', '--dest-tls-verify=false', `oci:${big}:bench`, `docker://${bigRef}`]);
    const root = join(work, 'big');
    const r = ours(bigRef, root);
    console.log(`1 GiB layer: ocikit pull ${r.ms.toFixed(0)} ms, peak RSS ${r.maxRssMiB.toFixed(0)} MiB (target < 150)`);
    rmSync(root, { recursive: true, force: true });
  }
} finally {
  registry.stop();
  await new Promise((r) => setTimeout(r, 300));
  rmSync(work, { recursive: true, force: true });
}
