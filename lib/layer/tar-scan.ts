/**
 * A pass-through stream that follows the tar framing to read what node-tar
 * drops: PAX `SCHILY.xattr.*` records (kept as raw bytes). It numbers the
 * non-meta entries in stream order, as node-tar emits them, and refuses meta
 * entries (PAX, GNU long names) larger than a limit instead of skipping them.
 *
 * @module
 */
import { Transform, type TransformCallback } from 'node:stream';
import { LayerError } from '../errors.js';

/** Largest PAX or GNU long-name body accepted. */
export const MAX_META_SIZE = 1 << 20;
const META_TYPES = new Set(['x', 'g', 'L', 'K', 'X']);

/** Extended attributes of one entry: name → raw value. */
export type Xattrs = Map<string, Buffer>;

function parseSize(field: Buffer): number {
  if ((field[0] ?? 0) & 0x80) {
    let n = (field[0] as number) & 0x7f;
    for (let i = 1; i < field.length; i++) n = n * 256 + (field[i] as number);
    return n;
  }
  const s = field.toString('latin1').replace(/[\0 ]+$/g, '').trim();
  return s === '' ? 0 : parseInt(s, 8);
}

/** Parses PAX records of a body into key → raw value. */
export function parsePaxRecords(body: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let pos = 0;
  while (pos < body.length) {
    const space = body.indexOf(0x20, pos);
    if (space < 0) break;
    const len = parseInt(body.toString('latin1', pos, space), 10);
    if (!Number.isSafeInteger(len) || len <= space - pos || pos + len > body.length) break;
    const rec = body.subarray(space + 1, pos + len - 1);
    const eq = rec.indexOf(0x3d);
    if (eq > 0) out.set(rec.toString('utf8', 0, eq), Buffer.from(rec.subarray(eq + 1)));
    pos += len;
  }
  return out;
}

/** See the module description. After the stream ends, {@link TarScanner.xattrs} maps entry index → xattrs. */
export class TarScanner extends Transform {
  /** Entry index (0-based, non-meta entries only) → its xattrs. */
  readonly xattrs = new Map<number, Xattrs>();
  #buf: Buffer[] = [];
  #buffered = 0;
  #state: 'header' | 'skip' | 'meta' = 'header';
  #remain = 0;
  #metaType = '';
  #metaBody: Buffer[] = [];
  #metaSize = 0;
  #pendingXattrs: Xattrs | undefined;
  #pendingSize: number | undefined;
  #index = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.#scan(chunk);
    } catch (err) {
      return cb(err as Error);
    }
    cb(null, chunk);
  }

  #scan(chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length) {
      if (this.#state === 'header') {
        const need = 512 - this.#buffered;
        const take = Math.min(need, chunk.length - off);
        this.#buf.push(chunk.subarray(off, off + take));
        this.#buffered += take;
        off += take;
        if (this.#buffered < 512) return;
        const block = Buffer.concat(this.#buf);
        this.#buf = [];
        this.#buffered = 0;
        this.#header(block);
      } else {
        const take = Math.min(this.#remain, chunk.length - off);
        if (this.#state === 'meta') this.#metaBody.push(chunk.subarray(off, off + take));
        this.#remain -= take;
        off += take;
        if (this.#remain === 0) {
          if (this.#state === 'meta') this.#meta();
          this.#state = 'header';
        }
      }
    }
  }

  #header(block: Buffer): void {
    if (block.every((b) => b === 0)) return;
    const type = String.fromCharCode(block[156] ?? 0x30);
    let size = parseSize(block.subarray(124, 136));
    const isMeta = META_TYPES.has(type);
    if (!isMeta && this.#pendingSize !== undefined) size = this.#pendingSize;
    const padded = 512 * Math.ceil(size / 512);
    if (isMeta) {
      if (size > MAX_META_SIZE) throw new LayerError('ERR_LAYER_META_TOO_LARGE', `extended header of ${size} bytes (limit ${MAX_META_SIZE})`);
      this.#metaType = type;
      this.#metaSize = size;
      this.#metaBody = [];
    } else {
      if (this.#pendingXattrs !== undefined && this.#pendingXattrs.size > 0) this.xattrs.set(this.#index, this.#pendingXattrs);
      this.#index++;
      this.#pendingXattrs = undefined;
      this.#pendingSize = undefined;
    }
    this.#remain = padded;
    if (padded === 0) {
      if (isMeta) this.#meta();
      return;
    }
    this.#state = isMeta ? 'meta' : 'skip';
  }

  #meta(): void {
    if (this.#metaType !== 'x' && this.#metaType !== 'X') return;
    const body = Buffer.concat(this.#metaBody).subarray(0, this.#metaSize);
    this.#metaBody = [];
    for (const [key, value] of parsePaxRecords(body)) {
      if (key === 'size') {
        const n = Number(value.toString('latin1'));
        if (Number.isSafeInteger(n) && n >= 0) this.#pendingSize = n;
      } else if (key.startsWith('SCHILY.xattr.')) {
        this.#pendingXattrs ??= new Map();
        this.#pendingXattrs.set(key.slice('SCHILY.xattr.'.length), value);
      }
    }
  }
}
