import { appendLayers, setConfig, addHistory, setConfigDescriptor } from '../../../lib/layer/index.js';
import type { ImageConfig, ImageManifest } from '../../../lib/oci/image-types.js';

const d = (c: string) => `sha256:${c.repeat(64)}` as const;
const manifest: ImageManifest = {
  schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: d('c'), size: 10 },
  layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: d('1'), size: 5 }],
};
const config: ImageConfig = {
  architecture: 'amd64', os: 'linux', created: '2020-01-01T00:00:00.000Z',
  config: { Env: ['A=1'], Cmd: ['sh'] }, rootfs: { type: 'layers', diff_ids: [d('a')] }, history: [{ created_by: 'base' }],
};

test('appendLayers adds descriptor, diff_id and history without touching its input', () => {
  const now = new Date('2026-01-02T03:04:05.000Z');
  const layer = { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: d('2'), size: 7 };
  const out = appendLayers({ manifest, config }, [{ descriptor: layer, diffId: d('b'), history: { created_by: 'ocikit commit', comment: 'snap' } }], now);
  expect(out.manifest.layers).toEqual([manifest.layers[0], layer]);
  expect(out.config.rootfs.diff_ids).toEqual([d('a'), d('b')]);
  expect(out.config.history).toEqual([{ created_by: 'base' }, { created: now.toISOString(), created_by: 'ocikit commit', comment: 'snap' }]);
  expect(out.config.created).toBe(now.toISOString());
  expect(manifest.layers).toHaveLength(1);
  expect(config.rootfs.diff_ids).toHaveLength(1);
});

test('setConfig replaces and removes fields; addHistory records an empty layer; setConfigDescriptor', () => {
  const c = setConfig(config, { Cmd: ['bash'], Env: undefined, WorkingDir: '/app' });
  expect(c.config).toEqual({ Cmd: ['bash'], WorkingDir: '/app' });
  expect(config.config?.Env).toEqual(['A=1']);
  const h = addHistory(c, { created_by: 'ENV X=1' }, new Date(0));
  expect(h.history?.at(-1)).toEqual({ created: '1970-01-01T00:00:00.000Z', empty_layer: true, created_by: 'ENV X=1' });
  const m = setConfigDescriptor(manifest, { ...manifest.config, digest: d('e') });
  expect([m.config.digest, manifest.config.digest]).toEqual([d('e'), d('c')]);
});
