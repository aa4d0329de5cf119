import { describe, expect, test } from '@jest/globals';
import { parseChallenges } from '../../../lib/registry/auth/challenge.js';
import { parseErrorBody } from '../../../lib/registry/error-body.js';
import { allowsPlainHttp, hostnameOf, insecureFromEnv, isLinkLocalHost, isLoopbackHost } from '../../../lib/registry/host-policy.js';
import { nextLink } from '../../../lib/registry/paging.js';
import { isRetryableError, isRetryableStatus, retryDelay, retryPolicy } from '../../../lib/registry/retry.js';
import { registryApiHost } from '../../../lib/registry/options.js';

describe('WWW-Authenticate parsing', () => {
  test('Bearer with quoted params, then a second Basic challenge', () => {
    const c = parseChallenges('Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push", Basic realm="x y"');
    expect(c).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:a/b:pull,push' } },
      { scheme: 'basic', params: { realm: 'x y' } },
    ]);
  });
  test('unquoted values, escapes and odd spacing', () => {
    expect(parseChallenges('basic   realm=reg , charset="UTF\\"8"')).toEqual([{ scheme: 'basic', params: { realm: 'reg', charset: 'UTF"8' } }]);
    expect(parseChallenges('')).toEqual([]);
  });
});

describe('registry error bodies', () => {
  test('the errors array is read; other bodies are not', () => {
    expect(parseErrorBody('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"x"}}]}')).toEqual([
      { code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: { Tag: 'x' } },
    ]);
    expect(parseErrorBody('<html>')).toBeUndefined();
    expect(parseErrorBody('{"message":"x"}')).toBeUndefined();
  });
});

describe('host policy', () => {
  test('loopback and link-local detection', () => {
    expect(isLoopbackHost('127.0.0.1:5000')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('[::1]:5000')).toBe(true);
    expect(isLoopbackHost('10.0.0.1:5000')).toBe(false);
    expect(isLoopbackHost('127.example.com')).toBe(false);
    expect(isLinkLocalHost('169.254.169.254')).toBe(true);
    expect(isLinkLocalHost('[fe80::1]:80')).toBe(true);
    expect(isLinkLocalHost('169.255.0.1')).toBe(false);
    expect(hostnameOf('Example.COM:443')).toBe('example.com');
  });
  test('plain HTTP only for loopback and listed registries', () => {
    expect(allowsPlainHttp('127.0.0.1:5000', [])).toBe(true);
    expect(allowsPlainHttp('reg.local:5000', [])).toBe(false);
    expect(allowsPlainHttp('reg.local:5000', ['reg.local:5000'])).toBe(true);
    expect(allowsPlainHttp('reg.local:5000', ['reg.local'])).toBe(true);
    expect(allowsPlainHttp('reg.local:5000', ['other:5000'])).toBe(false);
    expect(insecureFromEnv({ OCIKIT_INSECURE_REGISTRIES: ' A:1, b ,,' })).toEqual(['a:1', 'b']);
  });
  test('Docker Hub maps to its API host', () => {
    expect(registryApiHost('docker.io')).toBe('registry-1.docker.io');
    expect(registryApiHost('quay.io')).toBe('quay.io');
  });
});

describe('Link paging and retry policy', () => {
  test('rel="next" is found among other links', () => {
    expect(nextLink('</v2/_catalog?last=b&n=2>; rel="next"')).toBe('/v2/_catalog?last=b&n=2');
    expect(nextLink('<https://x/prev>; rel="prev", <https://x/next>; rel=next')).toBe('https://x/next');
    expect(nextLink(null)).toBeUndefined();
  });
  test('Retry-After in seconds or as a date, capped; backoff grows', () => {
    const p = retryPolicy({ baseDelayMs: 100, maxDelayMs: 2000 });
    expect(retryDelay(p, 1, '1')).toBe(1000);
    expect(retryDelay(p, 1, '3600')).toBe(2000);
    const inTwo = new Date(Date.now() + 1500).toUTCString();
    expect(retryDelay(p, 1, inTwo)).toBeGreaterThan(400);
    expect(retryDelay(p, 1)).toBeGreaterThanOrEqual(100);
    expect(retryDelay(p, 3)).toBeGreaterThanOrEqual(400);
    expect(retryDelay(p, 10)).toBe(2000);
    expect(isRetryableStatus(429)).toBe(true);
    expect(isRetryableStatus(503)).toBe(true);
    expect(isRetryableStatus(404)).toBe(false);
    expect(isRetryableError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isRetryableError(new Error('x', { cause: Object.assign(new Error('y'), { code: 'EPIPE' }) }))).toBe(true);
    expect(isRetryableError(new Error('x'))).toBe(false);
  });
});
