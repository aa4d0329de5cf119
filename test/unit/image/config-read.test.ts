import { ImageError } from '../../../lib/errors.js';
import { parseImageConfig } from '../../../lib/image/config-read.js';
import { CONFIG_LIMITS } from '../../../lib/oci/limits.js';

const bytes = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
const base = { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } };

describe('image config parsing', () => {
  it('parses a config', () => {
    expect(parseImageConfig(bytes({ ...base, config: { Env: ['A=1'] } }), 'img').config?.Env).toEqual(['A=1']);
  });

  it('refuses bytes that are not JSON with a typed error, not a SyntaxError', () => {
    const parse = (): unknown => parseImageConfig(Buffer.from('{not json'), 'img');
    expect(parse).toThrow(ImageError);
    expect(parse).toThrow(expect.objectContaining({ code: 'ERR_IMAGE_INVALID', message: 'img: image config is not valid JSON' }));
    expect(() => parseImageConfig(Buffer.from('[1]'), 'img')).toThrow(expect.objectContaining({ code: 'ERR_IMAGE_INVALID' }));
    expect(() => parseImageConfig(bytes({ ...base, config: { Env: 'A=1' } }), 'img')).toThrow(expect.objectContaining({ code: 'ERR_IMAGE_INVALID', message: 'img: image config Env is not a list of strings' }));
  });

  it('refuses a config over the byte cap', () => {
    const big = Buffer.alloc(CONFIG_LIMITS.configBytes + 1, 0x20);
    expect(() => parseImageConfig(big, 'img')).toThrow(expect.objectContaining({ code: 'ERR_CONFIG_TOO_LARGE', message: expect.stringMatching(/^img: image config is 8\.0 MiB, over the limit of 8 MiB$/) }));
  });

  it('refuses entry counts over the caps, naming the field', () => {
    const env = Array.from({ length: CONFIG_LIMITS.envEntries + 1 }, (_, i) => `K${i}=v`);
    expect(() => parseImageConfig(bytes({ ...base, config: { Env: env } }), 'img')).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG_TOO_LARGE', message: `img: image config Env has ${env.length} entries, over the limit of ${CONFIG_LIMITS.envEntries}` }),
    );
    const labels = Object.fromEntries(Array.from({ length: CONFIG_LIMITS.labelEntries + 1 }, (_, i) => [`l${i}`, '']));
    expect(() => parseImageConfig(bytes({ ...base, config: { Labels: labels } }), 'img')).toThrow(expect.objectContaining({ code: 'ERR_CONFIG_TOO_LARGE', message: expect.stringContaining('Labels has') }));
    const half = Array.from({ length: CONFIG_LIMITS.argEntries / 2 + 1 }, () => 'x');
    expect(() => parseImageConfig(bytes({ ...base, config: { Entrypoint: half, Cmd: half } }), 'img')).toThrow(expect.objectContaining({ message: expect.stringContaining('Entrypoint and Cmd has') }));
    const env20k = Array.from({ length: 20_000 }, (_, i) => `K${i}=v`);
    expect(parseImageConfig(bytes({ ...base, config: { Env: env20k } }), 'img').config?.Env).toHaveLength(20_000);
  });
});
