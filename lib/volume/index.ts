/**
 * Public API of the volume area: named volumes of the local driver.
 *
 * @module
 */
export {
  Volume,
  ANONYMOUS_VOLUME_LABEL,
  type VolumeCreateOptions,
  type VolumeRemoveOptions,
  type VolumeListOptions,
  type VolumePruneOptions,
  type VolumeInspect,
} from './volume.js';
export { VolumeError } from '../errors.js';
