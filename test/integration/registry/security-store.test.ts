import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Image } from '../../../lib/index.js';
import { collectGarbage, Store } from '../../../lib/store/index.js';
import { startProxy, type FakeServer } from '../../helpers/http-fake.js';
import { buildMultiLayerImage, pushBuiltImage, type BuiltImage } from '../../helpers/images.js';
import { startRegistry, type RegistryServer } from '../../helpers/registry-server.js';

const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Every blob verifies, index.json parses, and no temp file or lease of a live writer remains. */
function assertConsistent(root: string): { manifests: { digest: string; annotations?: Record<string, string> }[] } {
  for (const hex of readdirSync(join(root, 'blobs/sha256'))) {
    expect(sha(readFileSync(join(root, 'blobs/sha256', hex)))).toBe(`sha256:${hex}`);
  }
  return JSON.parse(readFileSync(join(root, 'index.json'), 'utf8')) as { manifests: { digest: string; annotations?: Record<string, string> }[] };
}

describe('SECURITY 19: concurrent pulls and a killed pull leave the store consistent; the next pull finishes the work', () => {
  let tmp: string;
  let server: RegistryServer;
  let image: BuiltImage;
  let script: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ocikit-sec19-'));
    // the child processes run the library compiled from this checkout
    // (tsc emits even when files of other areas fail to type-check, so its status is not checked)
    spawnSync('npx', ['tsc', '-p', 'tsconfig.json', '--outDir', join(tmp, 'dist'), '--declaration', 'false', '--declarationMap', 'false', '--sourceMap', 'false'], {
      cwd: process.cwd(),
      stdio: 'ignore',
    });
    expect(existsSync(join(tmp, 'dist/image/index.js'))).toBe(true);
    symlinkSync(join(process.cwd(), 'node_modules'), join(tmp, 'node_modules'));
    script = join(tmp, 'pull.mjs');
    writeFileSync(script, [
      `import { Image } from ${JSON.stringify(join(tmp, 'dist/image/index.js'))};`,
      'const [ref, root] = process.argv.slice(2);',
      "const img = await Image.pull(ref, { root, onProgress: (e) => { if (e.state === 'downloading') process.stdout.write('DL\\n'); } });",
      "process.stdout.write('DONE ' + img.digest + '\\n');",
    ].join('\n'));
    server = await startRegistry();
    image = await buildMultiLayerImage({ parent: tmp, randomBytes: 8 * 1024 * 1024 });
    await pushBuiltImage(image, server.host, 'c/img:1');
  }, 120_000);
  afterAll(async () => {
    for (const c of children) if (c.pid !== undefined && c.exitCode === null && c.signalCode === null) process.kill(c.pid, 'SIGKILL');
    await server?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  function pullInChild(ref: string, root: string, onLine?: (line: string, child: ChildProcess) => void): Promise<{ code: number | null; out: string }> {
    const child = spawn(process.execPath, [script, ref, root], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      for (const line of d.toString().split('\n')) if (line !== '') onLine?.(line, child);
    });
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
  }

  test('two processes pulling the same image at once both succeed and the store holds one copy', async () => {
    const root = join(tmp, 'two');
    const ref = `${server.host}/c/img:1`;
    const [a, b] = await Promise.all([pullInChild(ref, root), pullInChild(ref, root)]);
    expect(a.out).toContain(`DONE ${image.manifestDigest}`);
    expect(b.out).toContain(`DONE ${image.manifestDigest}`);
    const index = assertConsistent(root);
    expect(index.manifests.filter((d) => d.annotations?.['org.opencontainers.image.ref.name'] === ref)).toHaveLength(1);
    expect(readdirSync(join(root, 'ingest'))).toEqual([]);
    expect(readdirSync(join(root, 'leases'))).toEqual([]);
    expect((await Image.get(ref, { root })).digest).toBe(image.manifestDigest);
  });

  test('a pull killed mid-blob leaves no visible partial blob; the next pull and GC finish and clean up', async () => {
    const root = join(tmp, 'killed');
    const big = image.layers[2]!;
    // a proxy that sends half of the big layer, then stalls
    const proxy: FakeServer = await startProxy(server.host, (req, upstream, res) => {
      if (req.method !== 'GET' || req.url?.endsWith(big.digest) !== true) return false;
      res.writeHead(200, upstream.headers);
      let sent = 0;
      upstream.on('data', (c: Buffer) => {
        if (sent > big.size / 2) return;
        sent += c.length;
        res.write(c);
      });
      return true;
    });
    try {
      let killed = false;
      const started = Date.now();
      const result = await pullInChild(`${proxy.host}/c/img:1`, root, (line, child) => {
        if (line === 'DL' && !killed && child.pid !== undefined) {
          killed = true;
          // kill once a temp file holds part of a blob: the child is mid-download
          const poll = setInterval(() => {
            const partial = readdirSync(join(root, 'ingest')).some((f) => statSync(join(root, 'ingest', f)).size > 0);
            if (partial || Date.now() - started > 20_000) {
              clearInterval(poll);
              process.kill(child.pid as number, 'SIGKILL');
            }
          }, 20);
        }
      });
      expect(killed).toBe(true);
      expect(result.code).toBeNull();
      expect(existsSync(join(root, 'blobs/sha256', big.digest.slice(7)))).toBe(false);
      const index = assertConsistent(root);
      expect(index.manifests).toEqual([]);
      expect(readdirSync(join(root, 'ingest')).length).toBeGreaterThan(0);
    } finally {
      await proxy.stop();
    }
    const img = await Image.pull(`${server.host}/c/img:1`, { root });
    expect(img.digest).toBe(image.manifestDigest);
    expect(readFileSync(join(root, 'blobs/sha256', big.digest.slice(7))).equals(big.blob)).toBe(true);
    const gc = await collectGarbage(await Store.open(root));
    expect(gc.removed).toEqual([]);
    expect(readdirSync(join(root, 'ingest'))).toEqual([]);
    expect(readdirSync(join(root, 'leases'))).toEqual([]);
    assertConsistent(root);
  });
});
