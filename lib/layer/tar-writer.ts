/**
 * Writes normalised tar headers: ustar with PAX records only where needed
 * (long names, large ids or sizes, xattrs); empty uname/gname; no atime or
 * ctime; mtime in whole seconds. The same input always gives the same bytes.
 *
 * @module
 */
import { LayerError } from '../errors.js';

/** One entry to write. */
export interface TarHeader {
  /** Path inside the archive, without leading `/` (directories end with `/`). */
  path: string;
  type: 'file' | 'dir' | 'symlink' | 'link' | 'char' | 'block' | 'fifo';
  mode: number;
  uid: number;
  gid: number;
  /** Bytes of content (regular files only). */
  size: number;
  /** Seconds since the epoch. */
  mtime: number;
  /** Symlink target or hardlink target path. */
  linkpath?: string;
  devmajor?: number;
  devminor?: number;
  /** Extended attributes (written as `SCHILY.xattr.*`). */
  xattrs?: Map<string, Buffer>;
}

const TYPEFLAG: Record<TarHeader['type'], string> = { file: '0', link: '1', symlink: '2', char: '3', block: '4', dir: '5', fifo: '6' };
const OCTAL_MAX_8 = 0o7777777;
const OCTAL_MAX_12 = 0o77777777777;

function writeOctal(b: Buffer, value: number, off: number, width: number): void {
  b.write(`${value.toString(8).padStart(width - 1, '0')}\0`, off, width, 'latin1');
}

function paxRecord(key: string, value: Buffer): Buffer {
  const rest = Buffer.byteLength(` ${key}=`) + value.length + 1;
  let len = rest + String(rest).length;
  if (String(len).length !== String(rest).length) len = rest + String(len).length;
  return Buffer.concat([Buffer.from(`${len} ${key}=`), value, Buffer.from('\n')]);
}

function ustar(h: { name: string; typeflag: string; size: number; mode: number; uid: number; gid: number; mtime: number; linkname: string; devmajor: number; devminor: number; prefix?: string }): Buffer {
  const b = Buffer.alloc(512);
  b.write(h.name, 0, 100, 'utf8');
  writeOctal(b, h.mode & 0o7777, 100, 8);
  writeOctal(b, h.uid, 108, 8);
  writeOctal(b, h.gid, 116, 8);
  writeOctal(b, h.size, 124, 12);
  writeOctal(b, h.mtime, 136, 12);
  b.write(h.typeflag, 156, 1, 'latin1');
  b.write(h.linkname, 157, 100, 'utf8');
  b.write('ustar\u000000', 257, 8, 'latin1');
  writeOctal(b, h.devmajor, 329, 8);
  writeOctal(b, h.devminor, 337, 8);
  if (h.prefix) b.write(h.prefix, 345, 155, 'utf8');
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of b) sum += byte;
  b.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
  return b;
}

/** Splits a path into ustar prefix + name when it fits, else `undefined`. */
function splitUstar(path: string): { prefix: string; name: string } | undefined {
  if (Buffer.byteLength(path) <= 100) return { prefix: '', name: path };
  for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name !== '') return { prefix, name };
  }
  return undefined;
}

/** The header block(s) of one entry, PAX records first when needed. */
export function encodeHeader(h: TarHeader): Buffer {
  if (h.mtime < 0 || !Number.isSafeInteger(h.mtime)) throw new LayerError('ERR_LAYER_HEADER', 'mtime out of range', { entry: h.path });
  const pax: Buffer[] = [];
  const split = splitUstar(h.path);
  if (split === undefined) pax.push(paxRecord('path', Buffer.from(h.path)));
  const linkname = h.linkpath ?? '';
  if (Buffer.byteLength(linkname) > 100) pax.push(paxRecord('linkpath', Buffer.from(linkname)));
  if (h.uid > OCTAL_MAX_8) pax.push(paxRecord('uid', Buffer.from(String(h.uid))));
  if (h.gid > OCTAL_MAX_8) pax.push(paxRecord('gid', Buffer.from(String(h.gid))));
  if (h.size > OCTAL_MAX_12) pax.push(paxRecord('size', Buffer.from(String(h.size))));
  if (h.mtime > OCTAL_MAX_12) pax.push(paxRecord('mtime', Buffer.from(String(h.mtime))));
  for (const [k, v] of [...(h.xattrs ?? new Map<string, Buffer>())].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    pax.push(paxRecord(`SCHILY.xattr.${k}`, v));
  }
  const main = ustar({
    name: split?.name ?? h.path.slice(0, 100), prefix: split?.prefix ?? '', typeflag: TYPEFLAG[h.type],
    size: h.size > OCTAL_MAX_12 ? 0 : h.size, mode: h.mode, uid: Math.min(h.uid, OCTAL_MAX_8), gid: Math.min(h.gid, OCTAL_MAX_8),
    mtime: Math.min(h.mtime, OCTAL_MAX_12), linkname: Buffer.byteLength(linkname) > 100 ? '' : linkname,
    devmajor: h.devmajor ?? 0, devminor: h.devminor ?? 0,
  });
  if (pax.length === 0) return main;
  const body = Buffer.concat(pax);
  const paxName = `PaxHeaders/${(split?.name ?? h.path).slice(0, 80)}`;
  return Buffer.concat([
    ustar({ name: paxName, typeflag: 'x', size: body.length, mode: 0o644, uid: 0, gid: 0, mtime: 0, linkname: '', devmajor: 0, devminor: 0 }),
    body, padding(body.length), main,
  ]);
}

/** Zero bytes that pad `size` bytes to a whole block. */
export function padding(size: number): Buffer {
  const rest = size % 512;
  return rest === 0 ? Buffer.alloc(0) : Buffer.alloc(512 - rest);
}

/** The two zero blocks that end an archive. */
export const END_OF_ARCHIVE = Buffer.alloc(1024);
