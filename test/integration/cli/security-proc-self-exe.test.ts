// SECURITY 14b (runc CVE-2019-5736): a `#!/proc/self/exe` script in the image, through `exec` and as
// the entrypoint of `run` (attached and under the monitor), with a copy of node as the host runtime.
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { monitorPath } from '../../../lib/native/addon.js';
import { writeBusyboxTar } from '../../helpers/busybox-rootfs.js';

const repo = resolve(new URL('.', import.meta.url).pathname, '../../..');
const bin = join(repo, 'bin', 'ocikit.js');
const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;

/** Runs only if the kernel gave it a host binary (node) as the interpreter: then it tries what the CVE does. */
const PAYLOAD = `#!/proc/self/exe
const fs = require('fs');
fs.writeFileSync('/tmp/ran-host-binary', 'yes');
const fd = fs.openSync('/proc/self/exe', 'r');
const writer = 'i=0; while test $i -lt 500; do if echo OCIKIT-REDTEAM-PWNED 2>/dev/null >>/proc/self/fd/3; then exit 0; fi; sleep 0.01; i=$((i+1)); done';
require('child_process').spawn('/bin/sh', ['-c', writer], { stdio: ['ignore', 'ignore', 'ignore', fd], detached: true }).unref();
`;

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The shared libraries node needs, at their paths, so that node could run inside the container. */
function nodeLibraries(root: string): void {
  const out = execFileSync('ldd', [process.execPath], { encoding: 'utf8' });
  for (const m of out.matchAll(/(\/\S+) \(0x/g)) {
    const path = m[1]!;
    mkdirSync(join(root, dirname(path)), { recursive: true });
    copyFileSync(realpathSync(path), join(root, path));
  }
}

asRoot('SECURITY 14b: /proc/self/exe of the process that execs a container program is no host binary', () => {
  let tmp: string;
  let node: string;
  let before: { node: string; monitor: string };
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, OCIKIT_ROOT: join(tmp, 'root') });
  /** The CLI, run by the copy of node: the host runtime the attack aims at. */
  const ocikit = (args: string[]): { code: number | null; stdout: string; stderr: string } => {
    const r = spawnSync(node, [bin, ...args], { env: env(), encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  /** What the writer left once no host process runs the binaries any more. */
  const unchanged = async (): Promise<void> => {
    await new Promise((r) => setTimeout(r, 1500));
    expect(sha(node)).toBe(before.node);
    expect(sha(monitorPath())).toBe(before.monitor);
  };

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ocikit-cve-5736-'));
    node = join(tmp, 'node');
    copyFileSync(process.execPath, node);
    chmodSync(node, 0o755);
    const extra = join(tmp, 'extra');
    nodeLibraries(extra);
    writeFileSync(join(extra, 'evil'), PAYLOAD, { mode: 0o755 });
    const tar = writeBusyboxTar(join(tmp, 'rootfs.tar'));
    execFileSync('tar', ['--numeric-owner', '-C', extra, '-rf', tar, '.']);
    const r = ocikit(['import', tar, 'cvetest/evil:1', '-c', 'ENV PATH=/bin', '-c', 'CMD ["/evil"]']);
    expect(r.code).toBe(0);
    before = { node: sha(node), monitor: sha(monitorPath()) };
  });
  afterAll(() => {
    const left = ocikit(['ps', '-a', '-q', '--no-trunc']).stdout.split('\n').filter(Boolean);
    for (const id of left) ocikit(['rm', '-f', id]);
    ocikit(['rmi', 'cvetest/evil:1']);
    rmSync(tmp, { recursive: true, force: true });
  });

  test('through exec: refused, the host node untouched, no host binary ran in the container', async () => {
    expect(ocikit(['run', '-d', '--name', 'cve-exec', 'cvetest/evil:1', 'sleep', '1000']).code).toBe(0);
    const r = ocikit(['exec', 'cve-exec', '/evil']);
    await unchanged();
    expect(r.code).toBe(126);
    expect(r.stderr).toContain('ocikit-exec');
    expect(ocikit(['exec', 'cve-exec', 'cat', '/tmp/ran-host-binary']).code).not.toBe(0);
  });

  test('as the entrypoint of an attached run: refused, the host node untouched', async () => {
    const r = ocikit(['run', '--name', 'cve-run', 'cvetest/evil:1']);
    await unchanged();
    expect(r.code).toBe(126);
    expect(ocikit(['diff', 'cve-run']).stdout).not.toContain('ran-host-binary');
  });

  test('as the entrypoint under the monitor: refused, ocikit-monitor and node untouched', async () => {
    expect(ocikit(['run', '-d', '--name', 'cve-detached', 'cvetest/evil:1']).code).toBe(0);
    const status = ocikit(['wait', 'cve-detached']).stdout.trim();
    await unchanged();
    expect(status).toBe('126');
    const logs = ocikit(['logs', 'cve-detached']);
    expect(logs.stdout + logs.stderr).toContain('ocikit-exec');
    expect(ocikit(['diff', 'cve-detached']).stdout).not.toContain('ran-host-binary');
  });
});
