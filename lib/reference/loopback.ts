/**
 * Loopback detection for registry hosts: like Docker, ocikit talks plain HTTP
 * to a registry on the loopback interface.
 *
 * @module
 */
import { isIPv4, isIPv6 } from 'node:net';

/**
 * Whether `host` (optionally with `:port`, IPv6 optionally in brackets) is a
 * loopback address: `localhost`, `127.0.0.0/8`, `::1`, or `127.0.0.0/8` mapped
 * into IPv6. Names are not resolved.
 */
export function isLoopback(host: string): boolean {
  let h = host.trim();
  if (h.startsWith('[')) {
    const close = h.indexOf(']');
    if (close < 0) return false;
    const rest = h.slice(close + 1);
    if (rest !== '' && !/^:[0-9]+$/.test(rest)) return false;
    h = h.slice(1, close);
  } else if (h.split(':').length === 2) {
    const [name, port] = h.split(':') as [string, string];
    if (!/^[0-9]+$/.test(port)) return false;
    h = name;
  }
  if (h.toLowerCase() === 'localhost') return true;
  if (isIPv4(h)) return h.startsWith('127.');
  if (isIPv6(h)) {
    const canonical = new URL(`http://[${h}]/`).hostname;
    return canonical === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(canonical);
  }
  return false;
}
