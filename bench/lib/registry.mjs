// A throwaway CNCF distribution registry (docker-registry 2.8) on 127.0.0.1, plus pushing layouts into it.
import { spawn } from 'node:child_process';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { run } from './proc.mjs';

/** A free TCP port on 127.0.0.1 (bind to 0, read, close). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Start `docker-registry serve` on 127.0.0.1:<free port> with filesystem storage in a temp dir,
 * delete enabled, log level error. Resolves once GET /v2/ answers 200.
 * @returns {Promise<{host: string, url: string, pid: number, storageDir: string, stop(): Promise<void>}>}
 */
export async function startRegistry({ timeoutMs = 15000 } = {}) {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'bench-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${path.join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: ${host}`,
    '',
  ].join('\n');
  const configPath = path.join(dir, 'config.yml');
  await fsp.writeFile(configPath, config);
  const child = spawn('docker-registry', ['serve', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  let exited = null;
  const exitP = new Promise((resolve) => child.on('exit', (code, sig) => { exited = code ?? sig; resolve(); }));
  child.on('error', (e) => { exited = e.message; });

  const stop = async () => {
    if (exited === null) {
      try { process.kill(child.pid, 'SIGTERM'); } catch { /* already gone */ }
      const t = setTimeout(() => { try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ } }, 3000);
      await exitP;
      clearTimeout(t);
    }
    await fsp.rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== null) {
      await stop();
      throw new Error(`docker-registry exited (${exited}) before serving: ${stderr}`);
    }
    try {
      const res = await fetch(`http://${host}/v2/`);
      if (res.status === 200) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not answer on ${host} within ${timeoutMs} ms: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return { host, url: `http://${host}`, pid: child.pid, storageDir: path.join(dir, 'data'), stop };
}

/**
 * Push layoutDir:ref to host/<repo>:<tag> with skopeo (plain http).
 * @returns {Promise<string>} the pushed reference "host/repo:tag"
 */
export async function pushLayout(layoutDir, ref, host, { repo = 'bench', tag = ref } = {}) {
  const dest = `${host}/${repo}:${tag}`;
  await run('skopeo', ['--insecure-policy', 'copy', '--quiet', '--dest-tls-verify=false', `oci:${layoutDir}:${ref}`, `docker://${dest}`]);
  return dest;
}
