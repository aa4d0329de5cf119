/**
 * Tar archives written byte by byte for tests, including hostile ones that no
 * tar tool would produce (absolute names, `..`, oversize headers, conflicts).
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/** One entry of a fixture archive. */
export interface FixtureEntry {
  name: string;
  type?: 'file' | 'dir' | 'symlink' | 'link' | 'char' | 'block' | 'fifo';
  content?: string | Buffer;
  mode?: number;
  uid?: number;
  gid?: number;
  mtime?: number;
  /** Symlink or hardlink target. */
  target?: string;
  major?: number;
  minor?: number;
  /** `SCHILY.xattr.*` records. */
  xattrs?: Record<string, string | Buffer>;
  /** Other PAX records to write before the entry. */
  pax?: Record<string, string | Buffer>;
  /** GNU long name (`L`) record to write before the entry. */
  gnuLongName?: string;
  /** Size written in the header, when it should lie. */
  sizeOverride?: number;
}

const TYPEFLAG = { file: '0', link: '1', symlink: '2', char: '3', block: '4', dir: '5', fifo: '6' } as const;

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

/** A raw 512-byte ustar header. Names longer than 100 bytes are truncated: use PAX or GNU records for those. */
export function rawHeader(h: { name: string; typeflag: string; size?: number; mode?: number; uid?: number; gid?: number; mtime?: number; linkname?: string; major?: number; minor?: number }): Buffer {
  const b = Buffer.alloc(512);
  b.write(h.name.slice(0, 100), 0, 'utf8');
  b.write(octal(h.mode ?? 0o644, 8), 100, 'latin1');
  b.write(octal(h.uid ?? 0, 8), 108, 'latin1');
  b.write(octal(h.gid ?? 0, 8), 116, 'latin1');
  b.write(octal(h.size ?? 0, 12), 124, 'latin1');
  b.write(octal(h.mtime ?? 1_600_000_000, 12), 136, 'latin1');
  b.write(h.typeflag, 156, 'latin1');
  if (h.linkname) b.write(h.linkname.slice(0, 100), 157, 'utf8');
  b.write('ustar\u000000', 257, 'latin1');
  b.write(octal(h.major ?? 0, 8), 329, 'latin1');
  b.write(octal(h.minor ?? 0, 8), 337, 'latin1');
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of b) sum += byte;
  b.write(octal(sum, 7) + ' ', 148, 'latin1');
  return b;
}

function pad(data: Buffer): Buffer {
  const rest = data.length % 512;
  return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(512 - rest)]);
}

/** PAX records encoded as the body of an `x` header. */
export function paxBody(records: Record<string, string | Buffer>): Buffer {
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(records)) {
    const value = typeof v === 'string' ? Buffer.from(v) : v;
    const rest = Buffer.byteLength(` ${k}=`) + value.length + 1;
    let len = rest + String(rest).length;
    if (String(len).length !== String(rest).length) len = rest + String(len).length;
    parts.push(Buffer.from(`${len} ${k}=`), value, Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

/** The blocks of one entry (with its PAX/GNU records). */
export function entryBlocks(e: FixtureEntry): Buffer {
  const out: Buffer[] = [];
  const type = e.type ?? (e.name.endsWith('/') ? 'dir' : 'file');
  const pax: Record<string, string | Buffer> = { ...e.pax };
  for (const [k, v] of Object.entries(e.xattrs ?? {})) pax[`SCHILY.xattr.${k}`] = v;
  if (Buffer.byteLength(e.name) > 100 && e.gnuLongName === undefined && pax.path === undefined) pax.path = e.name;
  if (e.target !== undefined && Buffer.byteLength(e.target) > 100) pax.linkpath = e.target;
  if (Object.keys(pax).length > 0) {
    const body = paxBody(pax);
    out.push(rawHeader({ name: 'PaxHeader', typeflag: 'x', size: body.length }), pad(body));
  }
  if (e.gnuLongName !== undefined) {
    const body = Buffer.from(`${e.gnuLongName}\0`);
    out.push(rawHeader({ name: '././@LongLink', typeflag: 'L', size: body.length }), pad(body));
  }
  const content = typeof e.content === 'string' ? Buffer.from(e.content) : (e.content ?? Buffer.alloc(0));
  out.push(rawHeader({
    name: e.name, typeflag: TYPEFLAG[type], size: e.sizeOverride ?? (type === 'file' ? content.length : 0),
    mode: e.mode ?? (type === 'dir' ? 0o755 : 0o644), uid: e.uid, gid: e.gid, mtime: e.mtime, linkname: e.target,
    major: e.major, minor: e.minor,
  }));
  if (type === 'file' && content.length > 0) out.push(pad(content));
  return Buffer.concat(out);
}

/** A whole tar archive, ended by two zero blocks. */
export function buildTar(entries: (FixtureEntry | Buffer)[]): Buffer {
  return Buffer.concat([...entries.map((e) => (Buffer.isBuffer(e) ? e : entryBlocks(e))), Buffer.alloc(1024)]);
}

/** `sha256:<hex>` of a buffer. */
export function sha256(data: Buffer): `sha256:${string}` {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** A gzip layer: compressed bytes, digest and diff_id. */
export function gzipLayer(tar: Buffer): { blob: Buffer; digest: `sha256:${string}`; diffId: `sha256:${string}` } {
  const blob = gzipSync(tar);
  return { blob, digest: sha256(blob), diffId: sha256(tar) };
}
