/**
 * Public API of the layer area; lib/index.ts re-exports it.
 *
 * @module
 */
export {};
