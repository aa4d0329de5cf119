// Timing, memory and reporting helpers for the benchmarks.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { run } from './proc.mjs';

const now = () => performance.now();

/** Run fn `warmup` times unmeasured, then `runs` times; resolves the samples in ms. */
export async function timeIt(fn, { runs = 5, warmup = 1 } = {}) {
  for (let i = 0; i < warmup; i++) await fn(i);
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t0 = now();
    await fn(i);
    samples.push(now() - t0);
  }
  return samples;
}

export function median(samples) {
  if (!samples.length) return NaN;
  const s = [...samples].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** ratio(a, b) = median(a) / median(b); numbers or sample arrays. */
export function ratio(a, b) {
  const x = Array.isArray(a) ? median(a) : a;
  const y = Array.isArray(b) ? median(b) : b;
  return x / y;
}

/**
 * Run contenders alternately (A B C A B C ...) so machine noise hits all of them alike.
 * Each contender: {name, fn, setup?, teardown?} — setup/teardown run around every sample, unmeasured.
 * `warmup` rounds are discarded. Resolves {name: samplesMs[]}.
 */
export async function alternate(contenders, runs = 5, { warmup = 1 } = {}) {
  const out = Object.fromEntries(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < warmup + runs; round++) {
    for (const c of contenders) {
      const ctx = c.setup ? await c.setup(round) : undefined;
      const t0 = now();
      await c.fn(ctx, round);
      const dt = now() - t0;
      if (c.teardown) await c.teardown(ctx, round);
      if (round >= warmup) out[c.name].push(dt);
    }
  }
  return out;
}

/**
 * Peak RSS of a child process via `/usr/bin/time -v` ("Maximum resident set size", KiB).
 * Resolves {maxRssKiB, maxRssMiB, elapsedMs, code, stdout, stderr}.
 */
export async function peakRss(cmd, args = [], opts = {}) {
  const t0 = now();
  const r = await run('/usr/bin/time', ['-v', cmd, ...args], { ...opts, allowFail: true });
  const elapsedMs = now() - t0;
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`peakRss: no "Maximum resident set size" in /usr/bin/time output: ${r.stderr.slice(-1000)}`);
  if (r.code !== 0 && !opts.allowFail) throw new Error(`peakRss: ${cmd} exited ${r.code}: ${r.stderr.slice(-2000)}`);
  const maxRssKiB = Number(m[1]);
  return { maxRssKiB, maxRssMiB: maxRssKiB / 1024, elapsedMs, code: r.code, stdout: r.stdout, stderr: r.stderr };
}

/** Read VmHWM / VmRSS (KiB) of a pid from /proc/<pid>/status, or null if gone. */
export function procMem(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(s);
    const rss = /VmRSS:\s+(\d+) kB/.exec(s);
    return { hwmKiB: hwm ? Number(hwm[1]) : 0, rssKiB: rss ? Number(rss[1]) : 0 };
  } catch { return null; }
}

/**
 * Peak RSS of a child Node process (or any process) by sampling /proc/<pid>/status VmHWM every
 * `intervalMs` until it exits. VmHWM is the kernel's own high-water mark, so a short spike between
 * samples is still counted as long as one sample lands before exit.
 * Resolves {maxRssKiB, maxRssMiB, elapsedMs, code, stdout, stderr}.
 */
export function peakRssNode(args, { cmd = process.execPath, intervalMs = 10, env, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    let maxKiB = 0;
    const sample = () => { const m = procMem(child.pid); if (m) maxKiB = Math.max(maxKiB, m.hwmKiB); };
    const timer = setInterval(sample, intervalMs);
    child.on('error', (e) => { clearInterval(timer); reject(e); });
    // the pid is reaped before 'close'; take a last sample when the child closes its stdout
    child.stdout.on('end', sample);
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ maxRssKiB: maxKiB, maxRssMiB: maxKiB / 1024, elapsedMs: now() - t0, code, stdout, stderr });
    });
  });
}

/**
 * Print a table: rows = [{name, samples|ms, anchor?: true, note?}]. The ratio column is
 * median / median of the row marked `anchor` (or the first row).
 * A row may carry `target` (e.g. 0.8) to print "ok"/"MISS" against the ratio.
 */
export function printTable(rows, { title, unit = 'ms' } = {}) {
  const med = (r) => (r.samples ? median(r.samples) : r.ms);
  const anchor = rows.find((r) => r.anchor) ?? rows[0];
  const a = med(anchor);
  const lines = rows.map((r) => {
    const m = med(r);
    const rt = m / a;
    const tgt = r.target != null ? `${rt <= r.target ? 'ok' : 'MISS'} (target <= ${r.target}x)` : '';
    return [r.name, m.toFixed(1), r === anchor ? 'anchor' : `${rt.toFixed(2)}x`,
      r.samples ? `n=${r.samples.length} min=${Math.min(...r.samples).toFixed(1)} max=${Math.max(...r.samples).toFixed(1)}` : '',
      [tgt, r.note ?? ''].filter(Boolean).join(' ')];
  });
  const head = ['name', `median ${unit}`, 'ratio vs anchor', 'spread', ''];
  const w = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (l) => l.map((c, i) => (i === 1 || i === 2 ? c.padStart(w[i]) : c.padEnd(w[i]))).join('  ').trimEnd();
  if (title) console.log(`\n== ${title}`);
  console.log(fmt(head));
  for (const l of lines) console.log(fmt(l));
}

/** sync + drop the page cache (root only); failures are ignored. Resolves true if dropped. */
export async function dropCaches() {
  try {
    await run('sync', []);
    fs.writeFileSync('/proc/sys/vm/drop_caches', '3\n');
    return true;
  } catch { return false; }
}
