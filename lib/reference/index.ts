/**
 * Public API of the reference area: Docker's image reference grammar.
 *
 * @module
 */
export { Reference, parseReference } from './reference.js';
export { isLoopback } from './loopback.js';
export { DEFAULT_TAG, DOCKER_HUB_DOMAIN, DOCKER_HUB_REGISTRY } from './grammar.js';
export { InvalidReferenceError } from '../errors.js';
