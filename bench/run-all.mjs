#!/usr/bin/env node
// Run every bench/<name>/index.mjs, one after another, streaming their output.
//   node bench/run-all.mjs            all of them
//   node bench/run-all.mjs pull start only those named
// Exits non-zero if any benchmark fails (non-zero exit or signal).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SKIP = new Set(['lib', 'fixtures', '.cache', 'node_modules']);
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));

const benches = fs.readdirSync(HERE, { withFileTypes: true })
  .filter((e) => e.isDirectory() && !SKIP.has(e.name) && fs.existsSync(path.join(HERE, e.name, 'index.mjs')))
  .map((e) => e.name)
  .filter((n) => only.length === 0 || only.includes(n))
  .sort();

if (benches.length === 0) {
  console.log(only.length ? `no bench/<${only.join('|')}>/index.mjs found` : 'no bench/*/index.mjs found');
  process.exit(only.length ? 1 : 0);
}

const summary = [];
for (const name of benches) {
  console.log(`\n######## bench/${name} ########`);
  const t0 = performance.now();
  const { code, signal } = await new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(HERE, name, 'index.mjs')], { stdio: 'inherit', cwd: path.join(HERE, '..') });
    child.on('error', (e) => { console.error(e); resolve({ code: 1, signal: null }); });
    child.on('close', (c, s) => resolve({ code: c, signal: s }));
  });
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  summary.push({ name, ok: code === 0 && !signal, how: signal ?? `exit ${code}`, secs });
}

console.log('\n######## summary ########');
for (const s of summary) console.log(`${s.ok ? 'ok  ' : 'FAIL'}  bench/${s.name}  ${s.secs} s${s.ok ? '' : `  (${s.how})`}`);
process.exit(summary.every((s) => s.ok) ? 0 : 1);
