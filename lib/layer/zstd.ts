/**
 * zstd through the `zstd` command as a stream pipe. Node 20 has no zstd, and
 * the npm packages that stream both ways need a native build; the `zstd`
 * binary streams in constant memory and is in every distribution.
 *
 * @module
 */
import { spawn, spawnSync } from 'node:child_process';
import { Duplex } from 'node:stream';
import { LayerError } from '../errors.js';

let available: boolean | undefined;

/** Whether a `zstd` command is on PATH. */
export function zstdAvailable(): boolean {
  if (available === undefined) {
    const r = spawnSync('zstd', ['--version'], { stdio: 'ignore' });
    available = r.status === 0;
  }
  return available;
}

/**
 * A duplex stream that pipes through `zstd -d` (decompress) or `zstd -c`
 * (compress, at `level`). A non-zero exit becomes a {@link LayerError}.
 */
export function zstdStream(mode: 'decompress' | 'compress', level = 3): Duplex {
  if (!zstdAvailable()) {
    throw new LayerError('ERR_LAYER_ZSTD_UNAVAILABLE', 'zstd layers need the `zstd` command on PATH');
  }
  const args = mode === 'decompress' ? ['-d', '-c', '-q', '--no-progress'] : ['-c', '-q', '--no-progress', `-${level}`];
  const child = spawn('zstd', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    if (stderr.length < 4096) stderr += s;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const duplex = new Duplex({
    write(chunk: Buffer, _enc, cb) {
      if (child.stdin.write(chunk)) cb();
      else child.stdin.once('drain', () => cb());
    },
    final(cb) {
      child.stdin.end();
      cb();
    },
    read() {
      child.stdout.resume();
    },
    destroy(err, cb) {
      if (child.exitCode === null) child.kill('SIGKILL');
      cb(err);
    },
  });
  child.stdin.on('error', (err) => duplex.destroy(new LayerError('ERR_LAYER_ZSTD', `zstd: ${err.message}`, { cause: err })));
  child.stdout.on('data', (c: Buffer) => {
    if (!duplex.push(c)) child.stdout.pause();
  });
  child.stdout.on('end', () => {
    void exited.then((code) => {
      if (code === 0) duplex.push(null);
      else duplex.destroy(new LayerError('ERR_LAYER_ZSTD', `zstd ${mode} failed (exit ${code}): ${stderr.trim()}`));
    });
  });
  child.on('error', (err) => duplex.destroy(new LayerError('ERR_LAYER_ZSTD', `zstd: ${err.message}`, { cause: err })));
  return duplex;
}
