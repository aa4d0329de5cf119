/**
 * The few file operations Node lacks (mknod, xattrs), each behind one
 * function. They use the native addon when it loads, and otherwise the
 * commands `mknod` and `setfattr`/`getfattr` (Debian package `attr`).
 *
 * @module
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { LayerError, type LayerErrorCode } from '../errors.js';
import { nativeAvailable } from '../native/addon.js';
import { lgetxattr, llistxattr, lsetxattr, mknod, S_IFBLK, S_IFCHR, S_IFIFO } from '../native/fs.js';


function commandError(code: LayerErrorCode, what: string, path: string, cause: unknown): LayerError {
  const stderr = (cause as { stderr?: Buffer }).stderr?.toString().trim();
  const message = stderr !== undefined && stderr !== '' ? stderr : cause instanceof Error ? cause.message : String(cause);
  return new LayerError(code, `${what}: ${message}`, { entry: path, cause });
}

/** Kinds of special file {@link makeNode} creates. */
export type NodeKind = 'char' | 'block' | 'fifo';

/** Creates a device node or fifo at `path` (which must not exist) with permission bits `mode`. */
export function makeNode(path: string, kind: NodeKind, mode: number, major = 0, minor = 0): void {
  try {
    if (nativeAvailable()) {
      mknod(path, (kind === 'char' ? S_IFCHR : kind === 'block' ? S_IFBLK : S_IFIFO) | (mode & 0o7777), major, minor);
      return;
    }
    const args = ['-m', (mode & 0o7777).toString(8), path, kind === 'char' ? 'c' : kind === 'block' ? 'b' : 'p'];
    if (kind !== 'fifo') args.push(String(major), String(minor));
    execFileSync('mknod', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (cause) {
    throw commandError('ERR_LAYER_MKNOD', `cannot create ${kind} node`, path, cause);
  }
}

let attrTools: boolean | undefined;

/** Whether xattrs can be read and written here (the addon, or the `attr` commands). */
export function xattrSupported(): boolean {
  if (nativeAvailable()) return true;
  if (attrTools === undefined) {
    attrTools = spawnSync('setfattr', ['--version'], { stdio: 'ignore' }).status === 0
      && spawnSync('getfattr', ['--version'], { stdio: 'ignore' }).status === 0;
  }
  return attrTools;
}

function requireXattrs(): void {
  if (!xattrSupported()) {
    throw new LayerError('ERR_LAYER_XATTR_UNSUPPORTED', 'xattrs need the native addon or setfattr/getfattr (Debian package `attr`)');
  }
}

/** Sets xattr `name` of `path` (not following a final symlink) to `value`. */
export function setXattr(path: string, name: string, value: Uint8Array): void {
  requireXattrs();
  try {
    if (nativeAvailable()) return lsetxattr(path, name, Buffer.from(value));
    execFileSync('setfattr', ['-h', '-n', name, '-v', `0x${Buffer.from(value).toString('hex')}`, '--', path], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (cause) {
    throw commandError('ERR_LAYER_XATTR', `cannot set xattr ${name}`, path, cause);
  }
}

/** All xattrs of `path` (not following a final symlink), `trusted.*` included when root. */
export function listXattrs(path: string): Map<string, Buffer> {
  requireXattrs();
  const result = new Map<string, Buffer>();
  try {
    if (nativeAvailable()) {
      for (const name of llistxattr(path)) {
        const v = lgetxattr(path, name);
        if (v !== null) result.set(name, v);
      }
      return result;
    }
    const out = execFileSync('getfattr', ['-h', '-d', '-m', '-', '-e', 'hex', '--absolute-names', '--', path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    for (const line of out.split('\n')) {
      const eq = line.indexOf('=');
      if (line.startsWith('#') || eq <= 0) continue;
      const value = line.slice(eq + 1);
      result.set(line.slice(0, eq), value.startsWith('0x') ? Buffer.from(value.slice(2), 'hex') : Buffer.alloc(0));
    }
  } catch (cause) {
    throw commandError('ERR_LAYER_XATTR', 'cannot read xattrs', path, cause);
  }
  return result;
}
