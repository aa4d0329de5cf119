/**
 * Example: run a container, change a file, commit the change as a new image,
 * push it to a registry and pull it back. The registry is a local
 * `docker-registry` (CNCF distribution) started here on a free port.
 *
 *   npm run examples -- commit-and-push
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Container, Image, Registry } from 'ocikit';
import { busyboxImage } from './busybox-image.js';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

/** Starts `docker-registry serve` on 127.0.0.1 and resolves once `/v2/` answers. */
async function startRegistry(): Promise<{ host: string; stop(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'ocikit-example-registry-'));
  const port = await freePort();
  writeFileSync(join(dir, 'config.yml'), [
    'version: 0.1', 'log:', '  level: error', '  accesslog:', '    disabled: true',
    'storage:', '  filesystem:', `    rootdirectory: ${dir}/data`, 'http:', `  addr: 127.0.0.1:${port}`,
  ].join('\n'));
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
  const stop = (): void => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/v2/`);
      if (res.ok) break;
    } catch {
      if (i > 100) {
        stop();
        throw new Error('docker-registry did not start');
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { host: `127.0.0.1:${port}`, stop };
}

const registry = await startRegistry();
const target = `${registry.host}/examples/greeting:1`;
try {
  const base = await busyboxImage('examples/busybox:latest');
  // 1. run a container that changes a file
  const c = await Container.run(base, { cmd: ['sh', '-c', 'echo "hello, committed world" > /etc/greeting'] });
  await c.wait();
  console.log('changes:', (await c.diff()).map((d) => `${d.kind} ${d.path}`).join(', '));
  // 2. commit the change with a message and a new default command
  const committed = await c.commit({ ref: target, message: 'add /etc/greeting', author: 'ocikit example', changes: ['CMD ["cat", "/etc/greeting"]'] });
  await c.remove();
  console.log(`committed ${committed.id} (${committed.layers.length} layers)`);
  // 3. push it, then forget it locally
  const digest = await committed.push(target);
  console.log(`pushed ${target}@${digest}`);
  await Image.remove(target);
  // 4. pull it back and run it
  const pulled = await Image.pull(target);
  const tags = await new Registry(registry.host).listTags('examples/greeting');
  console.log(`pulled ${pulled.digest}; tags in the registry: ${tags.join(', ')}`);
  const check = await Container.run(pulled, {});
  const { exitCode } = await check.wait();
  let out = '';
  for await (const line of check.logs()) out += line;
  await check.remove();
  console.log(`the pulled image prints: ${out.trim()}`);
  if (exitCode !== 0 || out !== 'hello, committed world\n' || pulled.digest !== digest) throw new Error('round trip failed');
  await Image.remove(target);
  await Image.remove('examples/busybox:latest');
} finally {
  registry.stop();
}
