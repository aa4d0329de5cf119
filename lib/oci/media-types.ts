/**
 * Media types of the OCI image spec and of Docker's image manifest v2 schema 2.
 *
 * @module
 */

/** Media types ocikit knows by name. */
export const MediaType = {
  /** OCI image manifest. */
  OciManifest: 'application/vnd.oci.image.manifest.v1+json',
  /** OCI image index. */
  OciIndex: 'application/vnd.oci.image.index.v1+json',
  /** OCI image config. */
  OciConfig: 'application/vnd.oci.image.config.v1+json',
  /** OCI layer, uncompressed tar. */
  OciLayer: 'application/vnd.oci.image.layer.v1.tar',
  /** OCI layer, gzip-compressed tar. */
  OciLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  /** OCI layer, zstd-compressed tar. */
  OciLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  /** OCI non-distributable layer (deprecated), gzip. */
  OciForeignLayerGzip: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  /** OCI empty JSON descriptor (`{}`). */
  OciEmpty: 'application/vnd.oci.empty.v1+json',
  /** Docker image manifest v2 schema 2. */
  DockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  /** Docker manifest list (fat manifest). */
  DockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  /** Docker image manifest v2 schema 1 (unsupported). */
  DockerManifestSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
  /** Docker signed schema 1 manifest (unsupported). */
  DockerManifestSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
  /** Docker container image config. */
  DockerConfig: 'application/vnd.docker.container.image.v1+json',
  /** Docker layer, gzip-compressed tar. */
  DockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  /** Docker foreign layer (Windows base layers). */
  DockerForeignLayerGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
} as const;

/** One of the {@link MediaType} values. */
export type KnownMediaType = (typeof MediaType)[keyof typeof MediaType];

/** Media types that denote a single-platform image manifest. */
export const MANIFEST_MEDIA_TYPES: readonly string[] = [MediaType.OciManifest, MediaType.DockerManifest];

/** Media types that denote a multi-platform index. */
export const INDEX_MEDIA_TYPES: readonly string[] = [MediaType.OciIndex, MediaType.DockerManifestList];

/** Whether `mediaType` is an image manifest (OCI or Docker schema 2). */
export function isManifestMediaType(mediaType: string | undefined): boolean {
  return mediaType !== undefined && MANIFEST_MEDIA_TYPES.includes(mediaType);
}

/** Whether `mediaType` is an index or manifest list. */
export function isIndexMediaType(mediaType: string | undefined): boolean {
  return mediaType !== undefined && INDEX_MEDIA_TYPES.includes(mediaType);
}

/** Compression of a layer as its media type announces it. */
export type LayerCompression = 'none' | 'gzip' | 'zstd';

/**
 * The compression a layer media type announces, or `undefined` when the media
 * type is not a layer type ocikit knows.
 */
export function layerCompression(mediaType: string): LayerCompression | undefined {
  switch (mediaType) {
    case MediaType.OciLayer:
    case 'application/vnd.docker.image.rootfs.diff.tar':
      return 'none';
    case MediaType.OciLayerGzip:
    case MediaType.OciForeignLayerGzip:
    case MediaType.DockerLayerGzip:
    case MediaType.DockerForeignLayerGzip:
      return 'gzip';
    case MediaType.OciLayerZstd:
      return 'zstd';
    default:
      return undefined;
  }
}
