import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DigestMismatchError, InvalidDigestError, OcikitError } from '../../../lib/errors.js';
import { DigestStream, VerifyingStream, digestOf, isDigest, parseDigest, toDigest } from '../../../lib/oci/index.js';

const EMPTY256 = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const sha = (alg: string, data: string | Buffer): string => `${alg}:${createHash(alg).update(data).digest('hex')}`;

function sink(): { stream: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  return {
    stream: new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk);
        cb();
      },
    }),
    bytes: () => Buffer.concat(chunks),
  };
}

describe('parseDigest', () => {
  it('splits valid sha256 and sha512 digests', () => {
    expect(parseDigest(EMPTY256)).toEqual({ algorithm: 'sha256', hex: EMPTY256.slice(7) });
    const d512 = sha('sha512', 'x');
    expect(parseDigest(d512)).toEqual({ algorithm: 'sha512', hex: d512.slice(7) });
  });

  it.each([
    ['', /algorithm:hex/],
    ['sha256', /algorithm:hex/],
    [':abc', /algorithm:hex/],
    [`md5:${'a'.repeat(32)}`, /unsupported algorithm "md5"/],
    [`SHA256:${'a'.repeat(64)}`, /unsupported algorithm/],
    [`sha256:${'a'.repeat(63)}`, /sha256 needs 64/],
    [`sha256:${'a'.repeat(65)}`, /sha256 needs 64/],
    [`sha256:${'A'.repeat(64)}`, /lowercase hex/],
    [`sha256:${'g'.repeat(64)}`, /lowercase hex/],
    [`sha512:${'a'.repeat(64)}`, /sha512 needs 128/],
    [`sha256:../../${'a'.repeat(58)}`, /lowercase hex/],
  ])('rejects %j', (value, reason) => {
    expect(() => parseDigest(value)).toThrow(InvalidDigestError);
    expect(() => parseDigest(value)).toThrow(reason);
    expect(isDigest(value)).toBe(false);
    expect(() => toDigest(value)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_DIGEST', digest: value }) as Error);
  });

  it('rejects a non-string', () => {
    expect(() => parseDigest(42 as unknown as string)).toThrow(InvalidDigestError);
  });

  it('toDigest and isDigest accept valid digests', () => {
    expect(toDigest(EMPTY256)).toBe(EMPTY256);
    expect(isDigest(EMPTY256)).toBe(true);
  });
});

describe('digestOf', () => {
  it('hashes buffers and strings with sha256 by default', () => {
    expect(digestOf('')).toBe(EMPTY256);
    expect(digestOf(Buffer.from('hello'))).toBe(sha('sha256', 'hello'));
    expect(digestOf('hello', 'sha512')).toBe(sha('sha512', 'hello'));
  });
});

describe('DigestStream', () => {
  it('passes data through and reports digest and size', async () => {
    const data = Buffer.alloc(300_000, 7);
    const ds = new DigestStream();
    const out = sink();
    await pipeline(Readable.from([data.subarray(0, 1000), data.subarray(1000)]), ds, out.stream);
    expect(out.bytes().equals(data)).toBe(true);
    expect(ds.size).toBe(300_000);
    expect(ds.digest).toBe(sha('sha256', data));
  });

  it('supports sha512', async () => {
    const ds = new DigestStream('sha512');
    await pipeline(Readable.from([Buffer.from('abc')]), ds, sink().stream);
    expect(ds.digest).toBe(sha('sha512', 'abc'));
  });

  it('refuses to give a digest before the end', () => {
    const ds = new DigestStream();
    expect(() => ds.digest).toThrow(OcikitError);
    expect(() => ds.digest).toThrow(expect.objectContaining({ code: 'ERR_DIGEST_NOT_READY' }) as Error);
  });
});

describe('VerifyingStream', () => {
  const data = Buffer.from('some layer bytes');
  const good = sha('sha256', data);

  it('passes matching content', async () => {
    const vs = new VerifyingStream(good, data.length);
    const out = sink();
    await pipeline(Readable.from([data]), vs, out.stream);
    expect(out.bytes().equals(data)).toBe(true);
    expect(vs.size).toBe(data.length);
  });

  it('passes matching content without a size', async () => {
    await expect(pipeline(Readable.from([data]), new VerifyingStream(good), sink().stream)).resolves.toBeUndefined();
  });

  it('fails on a digest mismatch', async () => {
    const other = sha('sha256', 'other');
    const run = pipeline(Readable.from([data]), new VerifyingStream(other), sink().stream);
    await expect(run).rejects.toThrow(DigestMismatchError);
    await expect(pipeline(Readable.from([data]), new VerifyingStream(other), sink().stream)).rejects.toMatchObject({
      code: 'ERR_DIGEST_MISMATCH',
      expected: other,
      actual: good,
    });
  });

  it('fails as soon as more bytes than the size arrive', async () => {
    const out = sink();
    const vs = new VerifyingStream(good, 4);
    await expect(pipeline(Readable.from([data.subarray(0, 4), data.subarray(4)]), vs, out.stream)).rejects.toThrow(/more than 4 bytes/);
    expect(out.bytes().length).toBeLessThanOrEqual(4);
  });

  it('fails when fewer bytes than the size arrive', async () => {
    await expect(
      pipeline(Readable.from([data]), new VerifyingStream(good, data.length + 1), sink().stream),
    ).rejects.toThrow(DigestMismatchError);
  });

  it('rejects an invalid expected digest before any I/O', () => {
    expect(() => new VerifyingStream('sha256:../../etc/passwd')).toThrow(InvalidDigestError);
  });
});
