/**
 * Which hosts may be spoken to over plain HTTP and which may receive credentials.
 *
 * @module
 */
import { isIP } from 'node:net';

/** Splits `host[:port]` (IPv6 in brackets) into its host part, lowercased and without brackets. */
export function hostnameOf(hostPort: string): string {
  const h = hostPort.toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end > 0 ? h.slice(1, end) : h;
  }
  const colon = h.lastIndexOf(':');
  return colon >= 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

/** Whether a host name or address is a loopback one (`localhost`, 127/8, ::1). */
export function isLoopbackHost(host: string): boolean {
  const h = hostnameOf(host);
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

/** Whether an address is link-local (169.254/16, fe80::/10), where cloud metadata services live. */
export function isLinkLocalHost(host: string): boolean {
  const h = hostnameOf(host);
  if (isIP(h) === 4) return h.startsWith('169.254.');
  if (isIP(h) === 6) return /^fe[89ab][0-9a-f]:/.test(h) || /^::ffff:169\.254\./.test(h);
  return false;
}

/** The `host[:port]` list of `OCIKIT_INSECURE_REGISTRIES`. */
export function insecureFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env['OCIKIT_INSECURE_REGISTRIES'] ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s.length > 0);
}

/**
 * Whether plain HTTP is allowed to `hostPort`: loopback hosts, and hosts listed
 * (with or without their port) in `insecure`.
 */
export function allowsPlainHttp(hostPort: string, insecure: readonly string[]): boolean {
  if (isLoopbackHost(hostPort)) return true;
  const hp = hostPort.toLowerCase();
  const h = hostnameOf(hp);
  return insecure.some((entry) => entry === hp || entry === h);
}
