import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(new URL('.', import.meta.url).pathname, '../../..');

/** The offline block of README.md, line by line. */
function offlineCommands(): string[] {
  const text = readFileSync(join(repo, 'README.md'), 'utf8');
  const start = text.indexOf('<!-- quickstart:offline');
  const block = /```sh\n([\s\S]*?)```/.exec(text.slice(start));
  if (start < 0 || block === null) throw new Error('no offline quickstart block');
  return (block[1] as string).split('\n').filter((l) => l.trim() !== '');
}

test('every command of the offline quickstart works as written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ocikit-quickstart-'));
  const binDir = join(dir, 'path');
  spawnSync('mkdir', [binDir]);
  writeFileSync(join(binDir, 'ocikit'), `#!/bin/sh\nexec "${process.execPath}" "${join(repo, 'bin/ocikit.js')}" "$@"\n`);
  chmodSync(join(binDir, 'ocikit'), 0o755);
  const env = { ...process.env, OCIKIT_ROOT: join(dir, 'root'), PATH: `${binDir}:${process.env['PATH'] ?? ''}` };
  const outputs: string[] = [];
  try {
    for (const cmd of offlineCommands()) {
      const r = spawnSync('sh', ['-c', cmd], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
      if (r.status !== 0) throw new Error(`quickstart step failed (${r.status}): ${cmd}\n${r.stdout}\n${r.stderr}`);
      outputs.push(r.stdout);
    }
    const all = outputs.join('');
    expect(all).toContain('hello from a container\n');
    expect(all).toMatch(/^C \/etc\nA \/etc\/motd\n/m);
    expect(outputs.at(-1)).toBe('changed\n');
    expect(all).toMatch(/local\/busybox +1 +[0-9a-f]{12} /);
  } finally {
    spawnSync('sh', ['-c', 'ocikit rm -f demo; ocikit rmi local/busybox:1 local/busybox:2'], { cwd: dir, env });
    rmSync(dir, { recursive: true, force: true });
  }
});
