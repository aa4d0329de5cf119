/**
 * Public API of the volume area; lib/index.ts re-exports it.
 *
 * @module
 */
export {};
