import { describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { DigestMismatchError, InvalidDigestError, RegistryError } from '../../../lib/errors.js';
import { checkManifest } from '../../../lib/registry/manifest-check.js';

const codeOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return (e as { code?: unknown }).code;
  }
  return 'no error';
};

const sha = (b: Buffer | string): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const desc = { mediaType: 'x', digest: sha('a'), size: 1 };
const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: desc, layers: [desc] }));

describe('checkManifest', () => {
  test('a good manifest by tag and by digest, with or without Docker-Content-Digest', () => {
    const m = checkManifest(manifest, `${OCI_MANIFEST}; charset=utf-8`, undefined, sha(manifest), 'u');
    expect(m.digest).toBe(sha(manifest));
    expect(m.mediaType).toBe(OCI_MANIFEST);
    expect(checkManifest(manifest, null, sha(manifest), null, 'u').digest).toBe(sha(manifest));
  });
  test('a Docker manifest without mediaType takes the Content-Type', () => {
    const bare = Buffer.from(JSON.stringify({ schemaVersion: 2, config: desc, layers: [] }));
    expect(checkManifest(bare, DOCKER_MANIFEST, undefined, null, 'u').mediaType).toBe(DOCKER_MANIFEST);
    expect(checkManifest(bare, 'application/json', undefined, null, 'u').mediaType).toBe(OCI_MANIFEST);
  });
  test('wrong digest, wrong header digest, bad descriptor digest', () => {
    expect(() => checkManifest(manifest, OCI_MANIFEST, sha('x'), null, 'u')).toThrow(DigestMismatchError);
    expect(() => checkManifest(manifest, OCI_MANIFEST, undefined, sha('x'), 'u')).toThrow(DigestMismatchError);
    const bad = Buffer.from(JSON.stringify({ schemaVersion: 2, config: { ...desc, digest: 'sha256:../x' }, layers: [] }));
    expect(() => checkManifest(bad, OCI_MANIFEST, undefined, null, 'u')).toThrow(InvalidDigestError);
  });
  test('not JSON, an index typed as a manifest, an unknown type', () => {
    expect(() => checkManifest(Buffer.from('nope'), OCI_MANIFEST, undefined, null, 'u')).toThrow(RegistryError);
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [] }));
    expect(codeOf(() => checkManifest(index, OCI_MANIFEST, undefined, null, 'u'))).toBe('ERR_MANIFEST_MEDIA_TYPE');
    const art = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.example+json', config: desc, layers: [] }));
    expect(() => checkManifest(art, 'application/vnd.example+json', undefined, null, 'u')).toThrow(RegistryError);
  });
});
