/**
 * `-v`, `--tmpfs` and `--mount` values of `docker run`, turned into
 * {@link MountOption}s.
 *
 * @module
 */
import { isAbsolute, resolve } from 'node:path';
import type { MountOption, MountPropagation } from '../container/options.js';
import { CliError } from '../errors.js';
import { parseBytes } from './bytes.js';

const PROPAGATIONS = new Set<string>(['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave']);

function bad(flag: string, value: string, why: string): CliError {
  return new CliError(`invalid argument ${JSON.stringify(value)} for "${flag}" flag: ${why}`, { code: 'ERR_CLI_BAD_VALUE', verb: 'run' });
}

function target(flag: string, value: string, path: string | undefined): string {
  if (path === undefined || path === '') throw bad(flag, value, 'a container path is required');
  if (!isAbsolute(path)) throw bad(flag, value, `container path ${JSON.stringify(path)} must be absolute`);
  return path;
}

/** Parses `-v /host:/ctr[:ro|rw|propagation]`, `-v name:/ctr[:ro]` or `-v /ctr` (anonymous volume). */
export function parseVolumeFlag(value: string, cwd: string = process.cwd()): MountOption {
  const parts = value.split(':');
  if (parts.length === 1) return { type: 'volume', target: target('--volume', value, parts[0]) };
  if (parts.length > 3) throw bad('--volume', value, 'too many colons');
  const [source = '', dst, opts = ''] = parts;
  let readonly = false;
  let propagation: MountPropagation | undefined;
  for (const opt of opts === '' ? [] : opts.split(',')) {
    if (opt === 'ro') readonly = true;
    else if (opt === 'rw') readonly = false;
    else if (PROPAGATIONS.has(opt)) propagation = opt as MountPropagation;
    else throw bad('--volume', value, `unsupported mode ${JSON.stringify(opt)}`);
  }
  const ctr = target('--volume', value, dst);
  if (source === '') throw bad('--volume', value, 'empty source');
  if (source.startsWith('/') || source.startsWith('.')) {
    const mount: MountOption = { type: 'bind', source: resolve(cwd, source), target: ctr, readonly };
    return propagation === undefined ? mount : { ...mount, propagation };
  }
  if (propagation !== undefined) throw bad('--volume', value, 'propagation applies to bind mounts only');
  return { type: 'volume', source, target: ctr, readonly };
}

function parseMode(flag: string, value: string, mode: string): number {
  if (!/^[0-7]{1,4}$/.test(mode)) throw bad(flag, value, `bad mode ${JSON.stringify(mode)}`);
  return parseInt(mode, 8);
}

/** Parses `--tmpfs /path[:size=64m,mode=1777]`. */
export function parseTmpfsFlag(value: string): MountOption {
  const colon = value.indexOf(':');
  const path = target('--tmpfs', value, colon < 0 ? value : value.slice(0, colon));
  const mount: { type: 'tmpfs'; target: string; size?: number; mode?: number } = { type: 'tmpfs', target: path };
  for (const opt of colon < 0 ? [] : value.slice(colon + 1).split(',').filter((o) => o !== '')) {
    const [key = '', val = ''] = opt.split('=', 2);
    if (key === 'size') mount.size = sizeOf('--tmpfs', value, val);
    else if (key === 'mode') mount.mode = parseMode('--tmpfs', value, val);
    else if (key !== 'rw') throw bad('--tmpfs', value, `unsupported option ${JSON.stringify(opt)}`);
  }
  return mount;
}

function sizeOf(flag: string, value: string, text: string): number {
  try {
    return parseBytes(text);
  } catch {
    throw bad(flag, value, `bad size ${JSON.stringify(text)}`);
  }
}

function truth(flag: string, value: string, text: string | undefined): boolean {
  if (text === undefined || text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw bad(flag, value, `expected true or false, got ${JSON.stringify(text)}`);
}

/** Parses `--mount type=bind|volume|tmpfs,source=…,target=…[,readonly][,bind-propagation=…][,tmpfs-size=…][,tmpfs-mode=…]`. */
export function parseMountFlag(value: string, cwd: string = process.cwd()): MountOption {
  const fields = new Map<string, string | undefined>();
  for (const part of value.split(',').filter((p) => p !== '')) {
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    fields.set(key, eq < 0 ? undefined : part.slice(eq + 1));
  }
  const pick = (...keys: string[]): string | undefined => keys.map((k) => fields.get(k)).find((v) => v !== undefined);
  const known = ['type', 'source', 'src', 'target', 'destination', 'dst', 'readonly', 'ro', 'bind-propagation', 'tmpfs-size', 'tmpfs-mode'];
  for (const key of fields.keys()) if (!known.includes(key)) throw bad('--mount', value, `unexpected key ${JSON.stringify(key)}`);
  const type = pick('type') ?? 'volume';
  const ctr = target('--mount', value, pick('target', 'destination', 'dst'));
  const source = pick('source', 'src');
  const roKey = fields.has('readonly') ? 'readonly' : fields.has('ro') ? 'ro' : undefined;
  const readonly = roKey === undefined ? false : truth('--mount', value, fields.get(roKey));
  if (type === 'bind') {
    if (source === undefined || source === '') throw bad('--mount', value, 'a bind mount needs a source');
    const prop = pick('bind-propagation');
    if (prop !== undefined && !PROPAGATIONS.has(prop)) throw bad('--mount', value, `bad bind-propagation ${JSON.stringify(prop)}`);
    const mount: MountOption = { type: 'bind', source: resolve(cwd, source), target: ctr, readonly };
    return prop === undefined ? mount : { ...mount, propagation: prop as MountPropagation };
  }
  if (type === 'volume') return source === undefined || source === '' ? { type, target: ctr, readonly } : { type, source, target: ctr, readonly };
  if (type === 'tmpfs') {
    if (source !== undefined) throw bad('--mount', value, 'a tmpfs mount takes no source');
    const mount: { type: 'tmpfs'; target: string; size?: number; mode?: number } = { type, target: ctr };
    const size = pick('tmpfs-size');
    const mode = pick('tmpfs-mode');
    if (size !== undefined) mount.size = sizeOf('--mount', value, size);
    if (mode !== undefined) mount.mode = parseMode('--mount', value, mode);
    return mount;
  }
  throw bad('--mount', value, `unsupported mount type ${JSON.stringify(type)}`);
}
