/**
 * Applying one layer stream to a directory, and all layers of an image to an
 * empty directory.
 *
 * @module
 */
import { createReadStream, mkdirSync, readdirSync } from 'node:fs';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Parser, type ReadEntry } from 'tar';
import { DigestMismatchError, LayerError, OcikitError } from '../errors.js';
import { DigestStream, VerifyingStream, type Digest } from '../oci/digest.js';
import { logger } from '../log.js';
import { compressionOf, Decompressor } from './compression.js';
import { EntryWriter } from './entry-writer.js';
import { DEFAULT_MAX_LAYER_SIZE, type ApplyOptions } from './options.js';
import { TarScanner } from './tar-scan.js';

const log = logger('layer');

/** A layer to apply: its bytes (a file or a stream) and what they must hash to. */
export interface LayerSource {
  /** Path of the (compressed) blob; used when `stream` is absent. */
  path?: string;
  /** The (compressed) blob as a stream. */
  stream?: Readable;
  /** Layer media type; decides the decompression. */
  mediaType: string;
  /** Digest of the compressed blob; checked when given. */
  digest?: string;
  /** Digest of the uncompressed tar (the config's `diff_id`); checked when given. */
  diffId?: string;
}

/** What applying a layer found. */
export interface ApplyResult {
  /** sha256 of the uncompressed tar. */
  diffId: Digest;
  /** Size of the uncompressed tar, in bytes. */
  size: number;
  /** Number of entries written (whiteouts not counted). */
  entries: number;
}

function asLayerError(err: unknown): OcikitError {
  if (err instanceof OcikitError) return err;
  const e = err as NodeJS.ErrnoException & { tarCode?: string };
  if (e?.tarCode !== undefined || /TAR_|Truncated|unexpected end/i.test(String(e?.message))) {
    return new LayerError('ERR_LAYER_CORRUPT', `invalid layer tar: ${e.message}`, { cause: err });
  }
  return new LayerError('ERR_LAYER_IO', `cannot apply layer: ${e?.message ?? String(err)}`, { cause: err });
}

/**
 * Applies one layer to `dir`: decompresses it per its media type (checked
 * against its magic bytes), writes every entry without ever leaving `dir`,
 * applies whiteouts per {@link ApplyOptions.whiteouts}, and checks the digest
 * and diff_id when given.
 *
 * On failure `dir` holds a partial result; callers unpack into a temporary
 * directory and rename it when done.
 *
 * @throws {@link LayerError} for a hostile or corrupt layer, {@link DigestMismatchError} for a wrong digest.
 */
export async function applyLayer(layer: LayerSource, dir: string, options: ApplyOptions = {}): Promise<ApplyResult> {
  const compression = compressionOf(layer.mediaType);
  const source = layer.stream ?? (layer.path !== undefined ? createReadStream(layer.path, { highWaterMark: 1 << 20 }) : undefined);
  if (source === undefined) throw new LayerError('ERR_LAYER_SOURCE', 'a layer needs a path or a stream');
  mkdirSync(dir, { recursive: true });
  const writer = new EntryWriter(dir, options);
  const hasher = new DigestStream('sha256');
  const scanner = new TarScanner();
  const parser = new Parser({ strict: true, maxMetaEntrySize: 1 << 20 });
  let failure: unknown;
  let index = 0;
  let pendingBodies = 0;
  let onBodiesDone: (() => void) | undefined;

  // An archive of nothing but end-of-archive blocks is an empty layer (what a commit of an untouched
  // container writes, and Docker accepts); node-tar calls it an unrecognized format.
  let sawData = false;
  const sink = new Writable({
    highWaterMark: 1 << 16,
    write(chunk: Buffer, _enc, cb) {
      if (failure !== undefined) return cb(asLayerError(failure));
      if (!sawData) sawData = chunk.some((b) => b !== 0);
      if (parser.write(chunk)) cb();
      else parser.once('drain', () => cb(failure === undefined ? undefined : asLayerError(failure)));
    },
    final(cb) {
      parser.once('end', () => {
        const done = (): void => cb(failure === undefined ? undefined : asLayerError(failure));
        if (pendingBodies === 0) done();
        else onBodiesDone = done;
      });
      parser.end();
    },
  });
  const fail = (err: unknown): void => {
    if (failure !== undefined) return;
    failure = err;
    sink.destroy(asLayerError(err));
  };
  parser.on('error', (err: Error & { code?: string }) => {
    if (err.code === 'TAR_BAD_ARCHIVE' && !sawData) return;
    fail(err);
  });
  parser.on('ignoredEntry', (entry: ReadEntry) => {
    if (!entry.meta) index++;
  });
  parser.on('entry', (entry: ReadEntry) => {
    const xattrs = scanner.xattrs.get(index);
    scanner.xattrs.delete(index);
    index++;
    if (failure !== undefined) return entry.resume();
    pendingBodies++;
    const done = (err?: unknown): void => {
      pendingBodies--;
      if (err !== undefined) fail(err);
      if (pendingBodies === 0) onBodiesDone?.();
    };
    try {
      writer.write(entry, xattrs, done);
    } catch (err) {
      entry.resume();
      done(err);
    }
  });

  const stages: (NodeJS.ReadableStream | NodeJS.WritableStream | NodeJS.ReadWriteStream)[] = [source];
  // The bytes unpacked are the bytes verified (not a second read of the file).
  if (layer.digest !== undefined) stages.push(new VerifyingStream(layer.digest));
  stages.push(new Decompressor(compression, options.maxSize ?? DEFAULT_MAX_LAYER_SIZE), hasher, scanner, sink);
  try {
    await pipeline(stages as unknown as [Readable, Writable]);
    writer.finish();
  } catch (err) {
    throw asLayerError(failure ?? err);
  }
  const diffId = hasher.digest;
  if (layer.diffId !== undefined && layer.diffId !== diffId) throw new DigestMismatchError(layer.diffId, diffId, 'layer diff_id');
  log('applied layer %s: %d entries, %d bytes', diffId, writer.entries, hasher.size);
  return { diffId, size: hasher.size, entries: writer.entries };
}

/**
 * Applies `layers` in order into `dir`, which must be empty or missing: the
 * same tree `umoci unpack` gives as `rootfs/`.
 *
 * @returns the result of each layer, in order.
 */
export async function unpackLayers(layers: readonly LayerSource[], dir: string, options: ApplyOptions = {}): Promise<ApplyResult[]> {
  mkdirSync(dir, { recursive: true });
  if (readdirSync(dir).length > 0) throw new LayerError('ERR_LAYER_TARGET_NOT_EMPTY', `unpack target ${dir} is not empty`);
  const results: ApplyResult[] = [];
  for (const layer of layers) results.push(await applyLayer(layer, dir, { ...options, whiteouts: 'merge' }));
  return results;
}
