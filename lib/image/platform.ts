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

/** Operating systems a platform may name (Go's GOOS values, as OCI uses them). */
export const KNOWN_OS: readonly string[] = ['linux', 'windows', 'darwin', 'freebsd', 'netbsd', 'openbsd', 'dragonfly', 'solaris', 'illumos', 'aix', 'android', 'ios', 'plan9', 'js', 'wasip1', 'zos'];

/** Architectures a platform may name (Go's GOARCH values, as OCI uses them). */
export const KNOWN_ARCHITECTURES: readonly string[] = [
  '386', 'amd64', 'amd64p32', 'arm', 'arm64', 'arm64be', 'armbe', 'loong64', 'mips', 'mipsle', 'mips64', 'mips64le',
  'mips64p32', 'mips64p32le', 'ppc', 'ppc64', 'ppc64le', 'riscv', 'riscv64', 's390', 's390x', 'sparc', 'sparc64', 'wasm',
];

/** Other spellings of architectures, as containerd normalises them. */
const ARCH_ALIASES: Record<string, string> = { x86_64: 'amd64', 'x86-64': 'amd64', aarch64: 'arm64', i386: '386', i686: '386' };

const VARIANT_RE = /^v\d+(\.\d+)?$/;

function invalid(text: string, why: string): ImageError {
  return new ImageError('ERR_INVALID_PLATFORM', `invalid platform ${JSON.stringify(text)}: ${why}`);
}

/**
 * Checks a platform object: a known OS and architecture, a variant like `v7` or `v8.2`.
 * Returns it normalised (lower case, `x86_64` → `amd64`, `aarch64` → `arm64`).
 *
 * @throws ImageError `ERR_INVALID_PLATFORM`.
 */
export function checkPlatform(p: Platform, text = formatPlatform(p)): Platform {
  if (typeof p !== 'object' || p === null || typeof p.os !== 'string' || typeof p.architecture !== 'string') {
    throw invalid(String(text), 'expected os/arch[/variant]');
  }
  const os = p.os.toLowerCase();
  const lower = p.architecture.toLowerCase();
  const architecture = ARCH_ALIASES[lower] ?? lower;
  if (!KNOWN_OS.includes(os)) throw invalid(text, `unknown operating system ${JSON.stringify(p.os)}`);
  if (!KNOWN_ARCHITECTURES.includes(architecture)) throw invalid(text, `unknown architecture ${JSON.stringify(p.architecture)}`);
  const variant = p.variant === undefined || p.variant === '' ? undefined : String(p.variant).toLowerCase();
  if (variant !== undefined && !VARIANT_RE.test(variant)) throw invalid(text, `invalid variant ${JSON.stringify(p.variant)}`);
  return variant !== undefined ? { ...p, os, architecture, variant } : { ...p, os, architecture };
}

/**
 * Parses `os/arch[/variant]`, as `docker pull --platform` takes it, and checks
 * it with {@link checkPlatform}.
 *
 * @throws ImageError `ERR_INVALID_PLATFORM`.
 */
export function parsePlatform(text: string): Platform {
  if (typeof text !== 'string') throw invalid(String(text), 'expected os/arch[/variant]');
  const [os, architecture, variant, extra] = text.split('/');
  if (os === undefined || os === '' || architecture === undefined || architecture === '' || extra !== undefined) {
    throw invalid(text, 'expected os/arch[/variant]');
  }
  return checkPlatform(variant !== undefined && variant !== '' ? { os, architecture, variant } : { os, architecture }, text);
}

/** A platform option as a checked {@link Platform}: parsed when a string, checked when an object. */
export function platformOption(p: string | Platform): Platform {
  return typeof p === 'string' ? parsePlatform(p) : checkPlatform(p);
}

/**
 * Whether an image of platform `have` runs as `want`: same OS and architecture,
 * and the same variant when both name one.
 */
export function platformMatches(want: Platform, have: Platform | undefined): boolean {
  return matches(want, have);
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
