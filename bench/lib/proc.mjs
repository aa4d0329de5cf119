// Small child-process helpers shared by the benchmark fixtures and harness.
import { spawn } from 'node:child_process';

/**
 * Run a command to completion. Resolves {code, stdout, stderr}; rejects on non-zero exit
 * unless `allowFail` is set. stdout/stderr are captured as strings unless `stdio` is given.
 */
export function run(cmd, args = [], { cwd, env, input, allowFail = false, stdio } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env: env ?? process.env,
      stdio: stdio ?? [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr?.setEncoding('utf8').on('data', (d) => { stderr += d; });
    if (input !== undefined) child.stdin.end(input);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const res = { code, signal, stdout, stderr };
      if ((code !== 0 || signal) && !allowFail) {
        const err = new Error(`${cmd} ${args.join(' ')} exited ${code ?? signal}: ${stderr.trim().slice(-2000)}`);
        Object.assign(err, res);
        reject(err);
      } else resolve(res);
    });
  });
}

/** Resolves true if `cmd` is found on PATH. */
export async function which(cmd) {
  const r = await run('sh', ['-c', `command -v ${cmd}`], { allowFail: true });
  return r.code === 0 ? r.stdout.trim() : null;
}
