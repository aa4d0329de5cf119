/**
 * Test helper: a real CNCF distribution registry (`docker-registry serve`) on
 * 127.0.0.1 with a free port and filesystem storage in a temp dir; anonymous,
 * htpasswd (Basic) or token auth (with {@link startTokenServer}); optional TLS
 * with a self-signed certificate. Stopped by PID.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createSign, X509Certificate, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A self-signed certificate and key for `cn`, valid for 127.0.0.1 and localhost. */
export function selfSigned(dir: string, name: string, cn = '127.0.0.1'): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${cn}`,
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ], { stdio: 'ignore' });
  return { cert, key };
}

/** A running token server. */
export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  certPath: string;
  /** Requests it received: the Authorization header and query. */
  requests: { authorization: string | undefined; query: string }[];
  stop(): Promise<void>;
}

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/**
 * A token server of ours: signs RS256 JWTs (with an `x5c` header) granting the
 * requested scope to a known user, nothing to anonymous callers.
 */
export async function startTokenServer(dir: string, users: Record<string, string>): Promise<TokenServer> {
  const { cert, key } = selfSigned(dir, 'token', 'ocikit-test-token');
  const keyPem = readFileSync(key, 'utf8');
  const der = new X509Certificate(readFileSync(cert)).raw;
  const service = 'ocikit-test-registry';
  const issuer = 'ocikit-test-issuer';
  const requests: TokenServer['requests'] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push({ authorization: req.headers.authorization, query: url.search });
    let user: string | undefined;
    const auth = req.headers.authorization;
    if (auth?.startsWith('Basic ')) {
      const [u, p] = Buffer.from(auth.slice(6), 'base64').toString().split(':');
      if (u === undefined || users[u] !== p) {
        res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]}');
        return;
      }
      user = u;
    }
    const access = user === undefined ? [] : url.searchParams.getAll('scope').flatMap((s) => s.split(' ')).map((s) => {
      const [type, ...rest] = s.split(':');
      const actions = (rest.pop() ?? '').split(',');
      return { type, name: rest.join(':'), actions };
    });
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'RS256', x5c: [der.toString('base64')] };
    const claims = { iss: issuer, sub: user ?? '', aud: service, exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const sig = createSign('RSA-SHA256').update(input).sign(keyPem);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token: `${input}.${b64url(sig)}`, expires_in: 300 }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certPath: cert,
    requests,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Options of {@link startRegistry}. */
export interface RegistryServerOptions {
  /** htpasswd users (Basic auth). */
  htpasswd?: Record<string, string>;
  /** Token auth against this server. */
  token?: TokenServer;
  /** Serve HTTPS with a self-signed certificate (its PEM is `ca`). */
  tls?: boolean;
}

/** A running registry. */
export interface RegistryServer {
  /** `127.0.0.1:<port>`. */
  host: string;
  port: number;
  pid: number;
  dir: string;
  /** PEM of the TLS certificate, with `tls`. */
  ca: string | undefined;
  stop(): Promise<void>;
}

/** Starts `docker-registry serve` and waits until `/v2/` answers. */
export async function startRegistry(opts: RegistryServerOptions = {}): Promise<RegistryServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ocikit-registry-'));
  const port = await freePort();
  const lines = [
    'version: 0.1',
    'log:', '  level: error', '  accesslog:', '    disabled: true',
    'storage:', '  filesystem:', `    rootdirectory: ${dir}/data`, '  delete:', '    enabled: true',
    'http:', `  addr: 127.0.0.1:${port}`, `  secret: ${randomBytes(16).toString('hex')}`,
  ];
  let ca: string | undefined;
  if (opts.tls === true) {
    const { cert, key } = selfSigned(dir, 'registry');
    ca = readFileSync(cert, 'utf8');
    lines.push('  tls:', `    certificate: ${cert}`, `    key: ${key}`);
  }
  if (opts.htpasswd !== undefined) {
    const file = join(dir, 'htpasswd');
    writeFileSync(file, Object.entries(opts.htpasswd).map(([u, p]) => execFileSync('htpasswd', ['-Bbn', u, p], { encoding: 'utf8' }).trim()).join('\n') + '\n');
    lines.push('auth:', '  htpasswd:', '    realm: ocikit-test', `    path: ${file}`);
  } else if (opts.token !== undefined) {
    const t = opts.token;
    lines.push('auth:', '  token:', `    realm: ${t.realm}`, `    service: ${t.service}`, `    issuer: ${t.issuer}`, `    rootcertbundle: ${t.certPath}`);
  }
  writeFileSync(join(dir, 'config.yml'), lines.join('\n') + '\n');
  const child: ChildProcess = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const pid = child.pid;
  if (pid === undefined) throw new Error('docker-registry did not start');
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(pid, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 3000)))]);
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const scheme = opts.tls === true ? 'https' : 'http';
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited: ${stderr}`);
    const ok = await new Promise<boolean>((resolve) => {
      const args = ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-k', `${scheme}://127.0.0.1:${port}/v2/`];
      const c = spawn('curl', args, { stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      c.stdout.on('data', (d: Buffer) => (out += d.toString()));
      c.on('close', () => resolve(out === '200' || out === '401'));
    });
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not answer on ${port}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { host: `127.0.0.1:${port}`, port, pid, dir, ca, stop };
}
