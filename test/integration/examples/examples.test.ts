import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const repo = resolve(new URL('.', import.meta.url).pathname, '../../..');

test('every example compiles and runs for real (npm run examples)', () => {
  const r = spawnSync(process.execPath, [join(repo, 'examples/run.mjs')], { cwd: repo, env: { ...process.env }, encoding: 'utf8', timeout: 170_000 });
  if (r.status !== 0) throw new Error(`examples failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  expect(r.stdout).toContain('=== commit-and-push');
  expect(r.stdout).toContain('the pulled image prints: hello, committed world');
  expect(r.stdout).toContain('=== run-and-collect');
  expect(r.stdout).toContain('hello from Linux');
  expect(`${r.stdout}${r.stderr}`).toMatch(/Tests: +2 passed, 2 total/);
}, 180_000);
