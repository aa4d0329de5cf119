import { describe, expect, test } from '@jest/globals';
import { formatPlatform, hostPlatform, parsePlatform } from '../../../lib/image/platform.js';
import { selectManifest } from '../../../lib/image/platform.js';
import { blobReporter, mapLimit, shortId } from '../../../lib/image/progress.js';
import type { ImageIndex } from '../../../lib/oci/index.js';

const codeOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return (e as { code?: unknown }).code;
  }
  return 'no error';
};

const d = (hex: string, platform?: { os: string; architecture: string; variant?: string }) => ({
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: `sha256:${hex.repeat(64)}` as const,
  size: 1,
  ...(platform !== undefined ? { platform } : {}),
});

describe('platforms', () => {
  test('parse and format os/arch[/variant]', () => {
    expect(parsePlatform('linux/arm64/v8')).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    expect(formatPlatform(parsePlatform('linux/amd64'))).toBe('linux/amd64');
    expect(codeOf(() => parsePlatform('linux'))).toBe('ERR_INVALID_PLATFORM');
    expect(() => parsePlatform('a/b/c/d')).toThrow();
    expect(hostPlatform().os).toBe('linux');
    expect(hostPlatform().architecture).toBe(process.arch === 'x64' ? 'amd64' : process.arch);
  });

  test('select the matching manifest, preferring the exact variant; skip attestation entries', () => {
    const index: ImageIndex = {
      schemaVersion: 2,
      manifests: [d('0', { os: 'unknown', architecture: 'unknown' }), d('1', { os: 'linux', architecture: 'arm', variant: 'v6' }), d('2', { os: 'linux', architecture: 'arm', variant: 'v7' }), d('3', { os: 'linux', architecture: 'amd64' })],
    };
    expect(selectManifest(index, { os: 'linux', architecture: 'amd64' }).digest).toBe(d('3').digest);
    expect(selectManifest(index, { os: 'linux', architecture: 'arm', variant: 'v7' }).digest).toBe(d('2').digest);
    expect(selectManifest(index, { os: 'linux', architecture: 'arm' }).digest).toBe(d('1').digest);
    expect(codeOf(() => selectManifest(index, { os: 'windows', architecture: 'amd64' }))).toBe('ERR_PLATFORM_UNAVAILABLE');
  });
});

describe('progress helpers', () => {
  test('short ids, throttled events, bounded concurrency', async () => {
    expect(shortId(`sha256:${'ab'.repeat(32)}`)).toBe('abababababab');
    const events: string[] = [];
    const r = blobReporter((e) => events.push(`${e.state}:${e.current}`), `sha256:${'a'.repeat(64)}`, 100);
    r('waiting', 0);
    r('downloading', 10);
    r('downloading', 20);
    r('downloading', 100);
    r('complete', 100);
    expect(events).toEqual(['waiting:0', 'downloading:10', 'downloading:100', 'complete:100']);
    let running = 0;
    let peak = 0;
    const out = await mapLimit([1, 2, 3, 4, 5, 6], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((res) => setTimeout(res, 5));
      running--;
      return n * 2;
    });
    expect(out).toEqual([2, 4, 6, 8, 10, 12]);
    expect(peak).toBe(2);
    await expect(mapLimit([1, 2], 2, async (n) => {
      if (n === 2) throw new Error('boom');
      return n;
    })).rejects.toThrow('boom');
  });
});

describe('platform strings are checked', () => {
  test.each(['bogus', 'linux/bogus', 'bogus/amd64', 'linux/arm/7', 'linux/arm64/v8/x', '/amd64', 'linux/'])('%p is ERR_INVALID_PLATFORM', (text) => {
    expect(() => parsePlatform(text)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_PLATFORM', message: expect.stringMatching(/^invalid platform /) }));
  });

  test('known names, normalised', () => {
    expect(parsePlatform('linux/x86_64')).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(parsePlatform('Linux/AArch64/V8')).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    expect(parsePlatform('windows/amd64')).toEqual({ os: 'windows', architecture: 'amd64' });
    expect(parsePlatform('linux/arm/v7')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
  });

  test('a bad platform option of pull is refused before any request', async () => {
    const { Image } = await import('../../../lib/image/index.js');
    // no registry listens on this port: the platform is refused first
    await expect(Image.pull('127.0.0.1:1/x:latest', { platform: 'bogus' })).rejects.toMatchObject({ code: 'ERR_INVALID_PLATFORM' });
    await expect(Image.pull('127.0.0.1:1/x:latest', { platform: { os: 'linux', architecture: 'nope' } })).rejects.toMatchObject({ code: 'ERR_INVALID_PLATFORM' });
  });
});
