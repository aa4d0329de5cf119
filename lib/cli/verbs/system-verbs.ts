/**
 * `ocikit info` and `ocikit version`.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { info } from '../../native/index.js';
import type { Command } from '../command.js';
import { binarySize } from '../format/size.js';
import { renderTemplate } from '../format/template.js';
import { flagString } from '../spec.js';
import { countImages } from './image-verbs.js';

/** The version in ocikit's package.json. */
export function packageVersion(): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    const version = typeof pkg === 'object' && pkg !== null ? (pkg as { version?: unknown }).version : undefined;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}

function osName(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'));
    return m?.[1] ?? 'Linux';
  } catch {
    return 'Linux';
  }
}

const GOARCH: Readonly<Record<string, string>> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386' };

/** Lines printed as `key: value` with a one-space indent. */
function block(title: string, rows: readonly (readonly [string, string])[]): string {
  return `${title}:\n${rows.map(([k, v]) => ` ${k}: ${v}`).join('\n')}\n`;
}

/** `ocikit version`. */
export const versionCommand: Command = {
  spec: { name: 'version', usage: '[OPTIONS]', description: 'Show the ocikit version information', flags: [{ name: 'format', short: 'f', type: 'string', description: "Format output using a Go template or 'json'" }], maxArgs: 0 },
  async run(args, io) {
    const data = { Version: packageVersion(), NodeVersion: process.version, Os: process.platform, Arch: GOARCH[process.arch] ?? process.arch };
    const format = flagString(args, 'format');
    if (format !== undefined) {
      io.stdout.write(format === 'json' ? `${JSON.stringify(data)}\n` : `${renderTemplate(format, data)}\n`);
      return 0;
    }
    const rows: [string, string][] = [
      ['Version', data.Version],
      ['Node.js version', data.NodeVersion],
      ['OS/Arch', `${data.Os}/${data.Arch}`],
      ['Daemon', 'none (daemonless)'],
    ];
    io.stdout.write(`ocikit:\n${rows.map(([k, v]) => ` ${`${k}:`.padEnd(18)} ${v}\n`).join('')}`);
    return 0;
  },
};

/** `ocikit info`. */
export const infoCommand: Command = {
  spec: { name: 'info', usage: '[OPTIONS]', description: 'Display system-wide information', flags: [{ name: 'format', short: 'f', type: 'string', description: "Format output using a Go template or 'json'" }], maxArgs: 0 },
  async run(args, io) {
    const host = await info();
    const images = await countImages();
    const format = flagString(args, 'format');
    if (format !== undefined) {
      const data = { ...host, images: images ?? null };
      io.stdout.write(format === 'json' ? `${JSON.stringify(data)}\n` : `${renderTemplate(format, data)}\n`);
      return 0;
    }
    const cgroupVersion = { v1: '1', v2: '2', hybrid: '1 (hybrid)', none: 'none' }[host.cgroup.version];
    const overlay = host.overlay.mountable ?? host.overlay.supported;
    const rows: [string, string][] = [
      ['Images', images === undefined ? 'unknown' : String(images)],
      ['Storage Driver', overlay ? 'overlay' : 'copy'],
      ['Cgroup Driver', 'cgroupfs'],
      ['Cgroup Version', cgroupVersion],
      ['Kernel Version', host.kernelRelease],
      ['Operating System', osName()],
      ['OSType', 'linux'],
      ['Architecture', host.architecture],
      ['CPUs', String(cpus().length)],
      ['Total Memory', binarySize(totalmem())],
      ['Name', host.hostname],
      ['Root', host.root ? 'yes' : 'no (rootless)'],
      ['Unprivileged User Namespaces', host.unprivilegedUserNamespaces ? 'yes' : 'no'],
      ['Ocikit Root Dir', host.storageRoot],
    ];
    io.stdout.write(block('Client', [['Version', packageVersion()], ['Context', 'default (daemonless)']]));
    io.stdout.write(`\n${block('Host', rows)}`);
    if (!host.overlay.supported) io.stdout.write('WARNING: overlay filesystem not supported; layers are copied\n');
    if (host.cgroup.version === 'none') io.stdout.write('WARNING: no cgroup hierarchy mounted; resource limits are unavailable\n');
    return 0;
  },
};
