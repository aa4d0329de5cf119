/**
 * Talking to `docker-credential-<name>` helpers (get, store, erase), as Docker does.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { RegistryError } from '../../errors.js';
import type { RegistryCredentials } from '../options.js';

/** Runs `docker-credential-<helper> <action>` with `input` on stdin; resolves with stdout. */
function runHelper(helper: string, action: 'get' | 'store' | 'erase', input: string): Promise<{ code: number; out: string }> {
  if (!/^[A-Za-z0-9_.-]+$/.test(helper)) {
    return Promise.reject(new RegistryError('ERR_CREDENTIAL_HELPER', `invalid credential helper name ${JSON.stringify(helper)}`));
  }
  return new Promise((resolve, reject) => {
    const child = spawn(`docker-credential-${helper}`, [action], { stdio: ['pipe', 'pipe', 'pipe'], env: process.env });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.resume();
    child.on('error', (err) =>
      reject(new RegistryError('ERR_CREDENTIAL_HELPER', `cannot run docker-credential-${helper}: ${err.message}`, { cause: err })),
    );
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
    child.stdin.end(input);
  });
}

/** Credentials a helper holds for `server`, or `undefined` when it has none. */
export async function helperGet(helper: string, server: string): Promise<RegistryCredentials | undefined> {
  const { code, out } = await runHelper(helper, 'get', server);
  if (code !== 0) {
    if (/credentials not found/i.test(out)) return undefined;
    throw new RegistryError('ERR_CREDENTIAL_HELPER', `docker-credential-${helper} get failed: ${out.trim()}`);
  }
  const parsed = JSON.parse(out) as { Username?: string; Secret?: string };
  if (typeof parsed.Secret !== 'string') return undefined;
  if (parsed.Username === '<token>') return { username: '', password: '', identityToken: parsed.Secret };
  return { username: parsed.Username ?? '', password: parsed.Secret };
}

/** Stores credentials for `server` in a helper. */
export async function helperStore(helper: string, server: string, creds: RegistryCredentials): Promise<void> {
  const input = JSON.stringify({ ServerURL: server, Username: creds.username, Secret: creds.password });
  const { code, out } = await runHelper(helper, 'store', input);
  if (code !== 0) throw new RegistryError('ERR_CREDENTIAL_HELPER', `docker-credential-${helper} store failed: ${out.trim()}`);
}

/** Removes the credentials of `server` from a helper. */
export async function helperErase(helper: string, server: string): Promise<void> {
  const { code, out } = await runHelper(helper, 'erase', server);
  if (code !== 0 && !/not found/i.test(out)) {
    throw new RegistryError('ERR_CREDENTIAL_HELPER', `docker-credential-${helper} erase failed: ${out.trim()}`);
  }
}
