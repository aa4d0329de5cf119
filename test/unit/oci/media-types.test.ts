import {
  INDEX_MEDIA_TYPES,
  MANIFEST_MEDIA_TYPES,
  MediaType,
  isIndexMediaType,
  isManifestMediaType,
  layerCompression,
} from '../../../lib/oci/index.js';

describe('media types', () => {
  it('has the spec strings', () => {
    expect(MediaType.OciManifest).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(MediaType.OciIndex).toBe('application/vnd.oci.image.index.v1+json');
    expect(MediaType.DockerManifest).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(MediaType.DockerManifestList).toBe('application/vnd.docker.distribution.manifest.list.v2+json');
    expect(MediaType.DockerLayerGzip).toBe('application/vnd.docker.image.rootfs.diff.tar.gzip');
  });

  it('tells manifests from indexes', () => {
    for (const m of MANIFEST_MEDIA_TYPES) {
      expect(isManifestMediaType(m)).toBe(true);
      expect(isIndexMediaType(m)).toBe(false);
    }
    for (const m of INDEX_MEDIA_TYPES) {
      expect(isIndexMediaType(m)).toBe(true);
      expect(isManifestMediaType(m)).toBe(false);
    }
    expect(isManifestMediaType(undefined)).toBe(false);
    expect(isIndexMediaType(undefined)).toBe(false);
    expect(isManifestMediaType(MediaType.DockerManifestSchema1)).toBe(false);
    expect(isManifestMediaType(MediaType.OciConfig)).toBe(false);
  });

  it.each([
    [MediaType.OciLayer, 'none'],
    ['application/vnd.docker.image.rootfs.diff.tar', 'none'],
    [MediaType.OciLayerGzip, 'gzip'],
    [MediaType.DockerLayerGzip, 'gzip'],
    [MediaType.DockerForeignLayerGzip, 'gzip'],
    [MediaType.OciForeignLayerGzip, 'gzip'],
    [MediaType.OciLayerZstd, 'zstd'],
    [MediaType.OciConfig, undefined],
    ['text/plain', undefined],
  ])('layerCompression(%s) is %s', (mediaType, expected) => {
    expect(layerCompression(mediaType)).toBe(expected);
  });
});
