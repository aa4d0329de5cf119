/**
 * Test helper: tiny loopback HTTP servers for hostile registry behaviour, and a
 * proxy in front of a real registry that can cut or stall responses.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running fake server. */
export interface FakeServer {
  host: string;
  url: string;
  /** Requests seen: method, path and headers. */
  requests: { method: string; url: string; headers: IncomingMessage['headers'] }[];
  stop(): Promise<void>;
}

/** Starts a server on 127.0.0.1 answering with `handler`. */
export async function startFake(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<FakeServer> {
  const requests: FakeServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/**
 * A proxy to `target` (`host:port`). `mangle` may take over a response: it gets
 * the upstream response and the client response and returns `true` when it handled it.
 */
export function startProxy(
  target: string,
  mangle: (req: IncomingMessage, upstream: IncomingMessage, res: ServerResponse) => boolean,
): Promise<FakeServer> {
  const [hostname, port] = target.split(':');
  return startFake((req, res) => {
    const up = request({ hostname, port: Number(port), method: req.method, path: req.url, headers: { ...req.headers, host: target } }, (upstream) => {
      if (mangle(req, upstream, res)) return;
      res.writeHead(upstream.statusCode ?? 502, upstream.headers);
      upstream.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
}
