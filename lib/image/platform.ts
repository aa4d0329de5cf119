/**
 * Platforms: the host's, parsing `os/arch[/variant]`, and choosing a manifest of an index.
 *
 * @module
 */
import { ImageError } from '../errors.js';
import type { Descriptor, ImageIndex, Platform } from '../oci/image-types.js';

const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', mips64el: 'mips64le' };

/** The platform of this machine in OCI terms (`linux/amd64`, `linux/arm64/v8`…). */
export function hostPlatform(): Platform {
  const architecture = ARCH[process.arch] ?? process.arch;
  const p: Platform = { os: process.platform === 'win32' ? 'windows' : process.platform, architecture };
  if (architecture === 'arm64') p.variant = 'v8';
  if (architecture === 'arm') p.variant = `v${String((process.config.variables as { arm_version?: string }).arm_version ?? '7')}`;
  return p;
}

/** Parses `os/arch[/variant]`, as `docker pull --platform` takes it. */
export function parsePlatform(text: string): Platform {
  const [os, architecture, variant, extra] = text.split('/');
  if (os === undefined || os === '' || architecture === undefined || architecture === '' || extra !== undefined) {
    throw new ImageError('ERR_INVALID_PLATFORM', `invalid platform ${JSON.stringify(text)}: expected os/arch[/variant]`);
  }
  return variant !== undefined && variant !== '' ? { os, architecture, variant } : { os, architecture };
}

/** `os/arch[/variant]`. */
export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter((s) => s !== undefined && s !== '').join('/');
}

function matches(want: Platform, have: Platform | undefined): boolean {
  if (have === undefined || have.os !== want.os || have.architecture !== want.architecture) return false;
  if (want.variant === undefined || have.variant === undefined) return true;
  return want.variant === have.variant;
}

/** The manifest of `index` for `platform`, preferring an exact variant match. */
export function selectManifest(index: ImageIndex, platform: Platform): Descriptor {
  const candidates = index.manifests.filter((m) => matches(platform, m.platform));
  const exact = candidates.find((m) => (m.platform?.variant ?? '') === (platform.variant ?? ''));
  const chosen = exact ?? candidates[0];
  if (chosen === undefined) {
    const have = index.manifests.map((m) => (m.platform !== undefined ? formatPlatform(m.platform) : '?')).join(', ');
    throw new ImageError('ERR_PLATFORM_UNAVAILABLE', `no manifest for ${formatPlatform(platform)} (index has: ${have || 'none'})`);
  }
  return chosen;
}
